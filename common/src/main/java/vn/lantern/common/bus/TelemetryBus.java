package vn.lantern.common.bus;

import java.util.function.Consumer;
import vn.lantern.common.telemetry.TelemetryBatch;

/**
 * Carries stored telemetry from ingest to its consumers (the rules engine). In-process on a single
 * node; Apache Kafka (topic {@code lantern.readings}, keyed by zone) when scaled out.
 */
public interface TelemetryBus {

  /** Publishes a batch that has been durably stored. Never blocks. */
  void publish(TelemetryBatch batch);

  /**
   * Registers a consumer of every published batch.
   *
   * @return a handle that unregisters the consumer when closed
   */
  Subscription subscribe(Consumer<TelemetryBatch> consumer);

  /** A registered consumer; closing it stops delivery. */
  interface Subscription extends AutoCloseable {
    @Override
    void close();
  }
}
