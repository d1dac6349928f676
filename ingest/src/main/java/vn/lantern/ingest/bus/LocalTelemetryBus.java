package vn.lantern.ingest.bus;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.lantern.common.bus.TelemetryBus;
import vn.lantern.common.telemetry.TelemetryBatch;

/**
 * The single-node telemetry bus: the local Vert.x event bus, passing batches by reference (they are
 * immutable) without serialization.
 *
 * <p>Batches published during one event-loop task (the store completes a whole write's callers in
 * one task) travel as one event-bus message, sent right after that task: each consumer then costs
 * one hand-off to its context per write instead of one per device message, which at one reading per
 * message was a large share of the node's CPU. Order is kept per publishing thread.
 */
public final class LocalTelemetryBus implements TelemetryBus {
  static final String ADDRESS = "lantern.readings";
  private static final String CODEC = "lantern-telemetry-batches-local";
  private static final Logger LOG = LoggerFactory.getLogger(LocalTelemetryBus.class);

  private final Vertx vertx;
  private final DeliveryOptions delivery =
      new DeliveryOptions().setCodecName(CODEC).setLocalOnly(true);

  /** Batches published by the current task of this event-loop thread, not yet sent. */
  private final ThreadLocal<List<TelemetryBatch>> unsent = new ThreadLocal<>();

  public LocalTelemetryBus(Vertx vertx) {
    this.vertx = vertx;
    vertx.eventBus().registerCodec(new LocalCodec());
  }

  @Override
  public void publish(TelemetryBatch batch) {
    Context context = Vertx.currentContext();
    if (context == null || !context.isEventLoopContext()) {
      send(List.of(batch));
      return;
    }
    List<TelemetryBatch> batches = unsent.get();
    if (batches == null) {
      batches = new ArrayList<>();
      unsent.set(batches);
      // Runs on this same thread once the current task is done: no wake-up, no other thread.
      context.runOnContext(v -> sendUnsent());
    }
    batches.add(batch);
  }

  private void sendUnsent() {
    List<TelemetryBatch> batches = unsent.get();
    unsent.remove();
    send(batches);
  }

  private void send(List<TelemetryBatch> batches) {
    vertx.eventBus().publish(ADDRESS, new Batches(batches), delivery);
  }

  @Override
  public Subscription subscribe(Consumer<TelemetryBatch> consumer) {
    MessageConsumer<Batches> registration =
        vertx
            .eventBus()
            .localConsumer(
                ADDRESS,
                message -> {
                  for (TelemetryBatch batch : message.body().list()) {
                    deliver(consumer, batch);
                  }
                });
    return registration::unregister;
  }

  /** One consumer failing on one batch must not cost it the other batches of the message. */
  private static void deliver(Consumer<TelemetryBatch> consumer, TelemetryBatch batch) {
    try {
      consumer.accept(batch);
    } catch (RuntimeException e) {
      LOG.error(
          "event=bus_consumer_failed device={} error=\"{}\"", batch.device().id(), e.toString());
    }
  }

  /** The batches of one event-loop task, in publishing order. */
  private record Batches(List<TelemetryBatch> list) {}

  /** Local-only codec: the event bus hands the same immutable object to every consumer. */
  private static final class LocalCodec implements MessageCodec<Batches, Batches> {
    @Override
    public void encodeToWire(io.vertx.core.buffer.Buffer buffer, Batches batches) {
      throw new UnsupportedOperationException("the local telemetry bus never leaves the JVM");
    }

    @Override
    public Batches decodeFromWire(int pos, io.vertx.core.buffer.Buffer buffer) {
      throw new UnsupportedOperationException("the local telemetry bus never leaves the JVM");
    }

    @Override
    public Batches transform(Batches batches) {
      return batches;
    }

    @Override
    public String name() {
      return CODEC;
    }

    @Override
    public byte systemCodecID() {
      return -1;
    }
  }
}
