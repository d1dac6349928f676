package vn.lantern.ingest.coap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.eclipse.californium.core.CoapClient;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import vn.lantern.deploy.testing.TestNode;
import vn.lantern.testing.InfluxDbExtension;
import vn.lantern.testing.TestInflux;

/**
 * A handshake beyond the DTLS connections the node holds ({@code coaps.maxConnections}) is dropped
 * by Scandium without a word to the client: the node counts it and names the setting in its log.
 */
@ExtendWith(InfluxDbExtension.class)
class CoapConnectionLimitTest {
  private static final String PSK = "dtls-limit-psk-0123456789";

  @Test
  void aHandshakeBeyondTheDtlsConnectionLimitIsCountedAndLogged(
      TestInflux influx, @TempDir Path dir) throws Exception {
    try (TestNode node =
        TestNode.builder(dir, influx.url(), influx.database())
            .set("rules.seedRulePacks", false)
            .set("coaps.maxConnections", 1)
            .start()) {
      for (String id : List.of("dl-wl-1", "dl-wl-2")) {
        node.register(
            new JsonObject()
                .put("id", id)
                .put("type", "water_level")
                .put("zone", "hoi-an")
                .put("site", "Cau An Hoi")
                .put("psk", PSK));
      }
      String uri = "coaps://127.0.0.1:" + node.coapsPort();
      byte[] reading =
          new JsonObject()
              .put("m", new JsonObject().put("level", 0.5))
              .encode()
              .getBytes(StandardCharsets.UTF_8);
      CoapClient first = CoapTestClients.dtls(uri, "dl-wl-1", PSK);
      CoapClient second = CoapTestClients.dtls(uri, "dl-wl-2", PSK);
      ExecutorService refused = Executors.newSingleThreadExecutor();
      ByteArrayOutputStream log = new ByteArrayOutputStream();
      PrintStream standardError = System.err;
      System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
      try {
        assertEquals(
            ResponseCode.CHANGED,
            CoapTestClients.post(first, "/telemetry", reading, MediaTypeRegistry.APPLICATION_JSON)
                .getCode());
        // its handshake gets no answer: the client would only time out
        refused.submit(
            () ->
                CoapTestClients.post(
                    second, "/telemetry", reading, MediaTypeRegistry.APPLICATION_JSON));
        TestNode.awaitTrue(
            "the refused handshake counted", Duration.ofSeconds(20), () -> refusals(node) >= 1);
      } finally {
        System.setErr(standardError);
        refused.shutdownNow();
        CoapTestClients.close(second);
        CoapTestClients.close(first);
      }
      List<String> lines =
          log.toString(StandardCharsets.UTF_8)
              .lines()
              .filter(line -> line.contains("event=connection_refused"))
              .toList();
      assertEquals(1, lines.size(), "one line a minute for this limit and address: " + lines);
      for (String field :
          List.of(
              "protocol=coap",
              "limit=dtls_connections",
              "setting=coaps.maxConnections",
              "address=127.0.0.1")) {
        assertTrue(lines.get(0).contains(field), field + " in " + lines.get(0));
      }
    }
  }

  private static double refusals(TestNode node) {
    return node.metrics()
        .value(
            "lantern_ingest_connections_refused_total",
            "protocol",
            "coap",
            "reason",
            "dtls_connections");
  }
}
