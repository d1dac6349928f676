package vn.lantern.ingest.mqtt;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Flush consolidation goes in on a Vert.x MQTT connection, and acknowledgements written together
 * outside a read (as a completed InfluxDB write sends them) all reach the client, in order.
 */
class AckFlushingTest {
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    vertx.close().await();
  }

  @Test
  void acknowledgementsWrittenInOneTaskAllArriveInOrder() throws Exception {
    CompletableFuture<Boolean> installed = new CompletableFuture<>();
    int port =
        AckFixtures.listen(
            vertx,
            endpoint -> {
              endpoint.publishAutoAck(false);
              endpoint.accept(false);
              installed.complete(AckFlushing.install(endpoint));
              AckFixtures.onEveryWindow(
                  endpoint,
                  // Outside the read, as a write's completion runs: Vert.x flushes each.
                  ids -> vertx.runOnContext(v -> ids.forEach(endpoint::publishAcknowledge)));
            });
    try (AckFixtures.Client client = AckFixtures.Client.connect(port, "ack-flushing", 3)) {
      assertTrue(installed.get(5, TimeUnit.SECONDS), "flush consolidation not installed");
      client.publishWindowsAndAssertAcknowledgedInOrder(3);
    }
  }
}
