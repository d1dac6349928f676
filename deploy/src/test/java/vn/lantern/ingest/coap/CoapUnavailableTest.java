package vn.lantern.ingest.coap;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonObject;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.eclipse.californium.core.CoapClient;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With InfluxDB unreachable, a POST is answered 5.03 with Max-Age instead of hanging. */
class CoapUnavailableTest {

  @Test
  void unreachableInfluxAnswers503WithMaxAge(@TempDir Path dataDir) throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    try (CoapTestNode node =
        CoapTestNode.start(dataDir, "http://127.0.0.1:" + closedPort, "lantern", 1_500)) {
      node.register(
          new JsonObject()
              .put("id", "tamky-wl-02")
              .put("type", "water_level")
              .put("zone", "tam-ky")
              .put("site", "Song Ban Thach")
              .put("psk", "wl02-psk-0123456789abcdef"));
      CoapClient client =
          CoapTestClients.dtls(
              node.coapsUri("/telemetry"), "tamky-wl-02", "wl02-psk-0123456789abcdef");
      try {
        CoapResponse response =
            CoapTestClients.post(
                client,
                "/telemetry",
                "{\"m\": {\"level\": 1.0}}".getBytes(StandardCharsets.UTF_8),
                50);
        assertEquals(ResponseCode.SERVICE_UNAVAILABLE, response.getCode());
        assertEquals(CoapResponses.RETRY_AFTER_SECONDS, response.getOptions().getMaxAge());
      } finally {
        CoapTestClients.close(client);
      }
    }
  }
}
