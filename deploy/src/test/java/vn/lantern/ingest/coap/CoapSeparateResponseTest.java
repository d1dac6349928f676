package vn.lantern.ingest.coap;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.californium.core.CoapClient;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.CoAP.Type;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.lantern.testing.InfluxdProcess;

/**
 * Readings that take longer than a second to become durable (InfluxDB frozen): the node
 * acknowledges the confirmable request empty, so the client stops retransmitting, and sends the
 * 2.04 separately once the write succeeded.
 */
class CoapSeparateResponseTest {
  private static final String DEVICE = "tamky-wl-slow";
  private static final String PSK = "wl-slow-psk-0123456789abcdef";

  @TempDir Path dataDir;

  @Test
  void slowStorageGetsAnEmptyAckThenASeparate204() throws Exception {
    try (InfluxdProcess influxd = InfluxdProcess.start();
        CoapTestNode node = CoapTestNode.start(dataDir, influxd.url(), "lantern", 30_000)) {
      node.register(
          new JsonObject()
              .put("id", DEVICE)
              .put("type", "water_level")
              .put("zone", "tam-ky")
              .put("site", "Song Ban Thach")
              .put("psk", PSK));
      CoapClient client = CoapTestClients.dtls(node.coapsUri("/telemetry"), DEVICE, PSK);
      try {
        // the DTLS session and the database exist before InfluxDB is frozen
        assertEquals(ResponseCode.CHANGED, post(client, "/telemetry", reading(1.0)).getCode());

        influxd.pause();
        CompletableFuture<CoapResponse> slow =
            CompletableFuture.supplyAsync(() -> post(client, "/telemetry", reading(2.0)));
        // past the second after which the node acknowledges empty, short of the retransmission
        Thread.sleep(CoapIngest.ACCEPT_AFTER_MS + 1_000);
        influxd.resume();

        CoapResponse response = slow.get(30, TimeUnit.SECONDS);
        assertEquals(ResponseCode.CHANGED, response.getCode());
        assertEquals(
            Type.CON, response.advanced().getType(), "a separate response, not in the ACK");
      } finally {
        influxd.resume();
        CoapTestClients.close(client);
      }
    }
  }

  private static byte[] reading(double level) {
    return ("{\"m\": {\"level\": " + level + "}}").getBytes(StandardCharsets.UTF_8);
  }

  private static CoapResponse post(CoapClient client, String path, byte[] payload) {
    return CoapTestClients.post(client, path, payload, MediaTypeRegistry.APPLICATION_JSON);
  }
}
