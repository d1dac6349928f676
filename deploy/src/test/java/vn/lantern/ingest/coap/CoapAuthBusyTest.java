package vn.lantern.ingest.coap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.eclipse.californium.core.CoapClient;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import vn.lantern.deploy.testing.TestNode;
import vn.lantern.testing.InfluxDbExtension;
import vn.lantern.testing.TestInflux;

/**
 * Plain-UDP devices (credentials in the query) whose secrets cannot be checked because the hashing
 * queue is full hear 5.03 with Max-Age, "retry later", never 4.01 "wrong credentials".
 */
@ExtendWith(InfluxDbExtension.class)
class CoapAuthBusyTest {
  private static final String SECRET = "coap-busy-secret-0123456789";
  private static final int DEVICES = 12;

  @Test
  void aFullHashingQueueAnswers503WithMaxAge(TestInflux influx, @TempDir Path dir)
      throws Exception {
    // One hashing thread, one check waiting, slow hashes: a burst overflows the queue.
    try (TestNode node =
        TestNode.builder(dir, influx.url(), influx.database())
            .set("rules.seedRulePacks", false)
            .set("coap.insecure", "true")
            .set("registry.pbkdf2Iterations", 200_000)
            .set("deviceAuth.threads", 1)
            .set("deviceAuth.maxPending", 1)
            .start()) {
      for (int i = 0; i < DEVICES; i++) {
        node.register("busy-wl-" + i, "water_level", "hoi-an", "Cau An Hoi", SECRET);
      }
      long ts = System.currentTimeMillis() - 60_000;
      byte[] payload =
          new JsonObject()
              .put("ts", ts)
              .put("m", new JsonObject().put("level", 0.5))
              .encode()
              .getBytes(StandardCharsets.UTF_8);
      ExecutorService burst = Executors.newFixedThreadPool(DEVICES);
      List<CoapResponse> responses = new ArrayList<>();
      try {
        List<Future<CoapResponse>> posts = new ArrayList<>();
        for (int i = 0; i < DEVICES; i++) {
          String device = "busy-wl-" + i;
          posts.add(
              burst.submit(
                  () -> {
                    CoapClient udp =
                        CoapTestClients.udp("coap://127.0.0.1:" + node.coapPort() + "/telemetry");
                    try {
                      return CoapTestClients.post(
                          udp, "/telemetry?d=" + device + "&s=" + SECRET, payload, 50);
                    } finally {
                      CoapTestClients.close(udp);
                    }
                  }));
        }
        for (Future<CoapResponse> post : posts) {
          responses.add(post.get());
        }
      } finally {
        burst.shutdownNow();
      }
      List<ResponseCode> codes = responses.stream().map(CoapResponse::getCode).toList();
      assertTrue(codes.contains(ResponseCode.SERVICE_UNAVAILABLE), "some overflow: " + codes);
      assertTrue(
          codes.stream()
              .allMatch(c -> c == ResponseCode.CHANGED || c == ResponseCode.SERVICE_UNAVAILABLE),
          "stored or 5.03, never 4.01: " + codes);
      for (CoapResponse busy : responses) {
        if (busy.getCode() == ResponseCode.SERVICE_UNAVAILABLE) {
          assertEquals(30L, busy.getOptions().getMaxAge(), "Max-Age says when to retry");
        }
      }
      assertEquals(
          codes.stream().filter(c -> c == ResponseCode.SERVICE_UNAVAILABLE).count(),
          node.metrics().value("lantern_ingest_auth_throttled_total", "reason", "busy"),
          "every busy answer is counted");
    }
  }
}
