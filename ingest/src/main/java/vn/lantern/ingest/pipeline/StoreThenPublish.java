package vn.lantern.ingest.pipeline;

import io.vertx.core.Future;
import vn.lantern.common.bus.TelemetryBus;
import vn.lantern.common.telemetry.TelemetryBatch;
import vn.lantern.ingest.store.TelemetryStore;

/**
 * The single-node sink: durable once InfluxDB has acknowledged the write, then published on the
 * in-process bus for the rules engine.
 */
public final class StoreThenPublish implements TelemetrySink {
  private final TelemetryStore store;
  private final TelemetryBus bus;

  public StoreThenPublish(TelemetryStore store, TelemetryBus bus) {
    this.store = store;
    this.bus = bus;
  }

  @Override
  public Future<Void> accept(TelemetryBatch batch) {
    return store.write(batch).onSuccess(v -> bus.publish(batch));
  }
}
