package vn.lantern.ingest.bus;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.function.Consumer;
import vn.lantern.common.bus.TelemetryBus;
import vn.lantern.common.telemetry.TelemetryBatch;

/**
 * The single-node telemetry bus: the local Vert.x event bus, passing batches by reference (they are
 * immutable) without serialization.
 */
public final class LocalTelemetryBus implements TelemetryBus {
  static final String ADDRESS = "lantern.readings";
  private static final String CODEC = "lantern-telemetry-batch-local";

  private final Vertx vertx;

  public LocalTelemetryBus(Vertx vertx) {
    this.vertx = vertx;
    vertx.eventBus().registerCodec(new LocalCodec());
  }

  @Override
  public void publish(TelemetryBatch batch) {
    vertx
        .eventBus()
        .publish(
            ADDRESS,
            batch,
            new io.vertx.core.eventbus.DeliveryOptions().setCodecName(CODEC).setLocalOnly(true));
  }

  @Override
  public Subscription subscribe(Consumer<TelemetryBatch> consumer) {
    MessageConsumer<TelemetryBatch> registration =
        vertx.eventBus().localConsumer(ADDRESS, message -> consumer.accept(message.body()));
    return registration::unregister;
  }

  /** Local-only codec: the event bus hands the same immutable object to every consumer. */
  private static final class LocalCodec implements MessageCodec<TelemetryBatch, TelemetryBatch> {
    @Override
    public void encodeToWire(io.vertx.core.buffer.Buffer buffer, TelemetryBatch batch) {
      throw new UnsupportedOperationException("the local telemetry bus never leaves the JVM");
    }

    @Override
    public TelemetryBatch decodeFromWire(int pos, io.vertx.core.buffer.Buffer buffer) {
      throw new UnsupportedOperationException("the local telemetry bus never leaves the JVM");
    }

    @Override
    public TelemetryBatch transform(TelemetryBatch batch) {
      return batch;
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
