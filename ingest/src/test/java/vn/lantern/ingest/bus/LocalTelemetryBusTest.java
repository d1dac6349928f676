package vn.lantern.ingest.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import vn.lantern.common.telemetry.DeviceRef;
import vn.lantern.common.telemetry.Reading;
import vn.lantern.common.telemetry.TelemetryBatch;

/** The in-process bus: every batch reaches every subscriber, in order, a task's batches at once. */
class LocalTelemetryBusTest {
  private Vertx vertx;
  private LocalTelemetryBus bus;
  private final AtomicInteger messagesSent = new AtomicInteger();

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    bus = new LocalTelemetryBus(vertx);
    vertx
        .eventBus()
        .addOutboundInterceptor(
            delivery -> {
              if (delivery.message().address().equals(LocalTelemetryBus.ADDRESS)) {
                messagesSent.incrementAndGet();
              }
              delivery.next();
            });
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void batchesOfOneEventLoopTaskTravelAsOneMessageInOrderToEverySubscriber() throws Exception {
    List<String> first = new CopyOnWriteArrayList<>();
    List<String> second = new CopyOnWriteArrayList<>();
    CountDownLatch delivered = new CountDownLatch(6);
    subscribe(first, delivered);
    subscribe(second, delivered);

    vertx.runOnContext(
        v -> {
          for (int i = 1; i <= 3; i++) {
            bus.publish(batch("dev-" + i));
          }
        });

    assertEquals(true, delivered.await(10, TimeUnit.SECONDS));
    assertEquals(List.of("dev-1", "dev-2", "dev-3"), first);
    assertEquals(List.of("dev-1", "dev-2", "dev-3"), second);
    assertEquals(1, messagesSent.get());
  }

  @Test
  void aBatchPublishedOffVertxIsDeliveredAtOnce() throws Exception {
    List<String> seen = new CopyOnWriteArrayList<>();
    CountDownLatch delivered = new CountDownLatch(1);
    subscribe(seen, delivered);

    bus.publish(batch("dev-1"));

    assertEquals(true, delivered.await(10, TimeUnit.SECONDS));
    assertEquals(List.of("dev-1"), seen);
  }

  @Test
  void aConsumerFailingOnOneBatchStillGetsTheOthers() throws Exception {
    List<String> seen = new CopyOnWriteArrayList<>();
    CountDownLatch delivered = new CountDownLatch(2);
    subscribeAndAwait(
        batch -> {
          if (batch.device().id().equals("bad")) {
            throw new IllegalStateException("consumer bug");
          }
          seen.add(batch.device().id());
          delivered.countDown();
        });

    vertx.runOnContext(
        v -> {
          bus.publish(batch("dev-1"));
          bus.publish(batch("bad"));
          bus.publish(batch("dev-2"));
        });

    assertEquals(true, delivered.await(10, TimeUnit.SECONDS));
    assertEquals(List.of("dev-1", "dev-2"), seen);
  }

  private void subscribe(List<String> seen, CountDownLatch delivered) throws Exception {
    subscribeAndAwait(
        batch -> {
          seen.add(batch.device().id());
          delivered.countDown();
        });
  }

  /** Subscribes on a context of its own, as the rules engine and KPI engine do. */
  private void subscribeAndAwait(java.util.function.Consumer<TelemetryBatch> consumer)
      throws Exception {
    CountDownLatch subscribed = new CountDownLatch(1);
    vertx
        .getOrCreateContext()
        .runOnContext(
            v -> {
              bus.subscribe(consumer);
              subscribed.countDown();
            });
    subscribed.await(10, TimeUnit.SECONDS);
  }

  private static TelemetryBatch batch(String deviceId) {
    return new TelemetryBatch(
        new DeviceRef(deviceId, "air_quality", "tam-ky", "site"),
        List.of(new Reading("pm25", 12.5, 1_700_000_000_000L)),
        "mqtt");
  }
}
