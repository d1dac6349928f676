package vn.lantern.common.bus;

import io.vertx.core.Future;
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

  /**
   * The zones whose batches this node receives and therefore evaluates: every zone on the
   * in-process bus; on Kafka, those of the partitions this node owns in the consumer group.
   */
  default ZoneOwnership ownership() {
    return ZoneOwnership.ALL;
  }

  /**
   * Registers a listener of changes of {@link #ownership()}. The in-process bus never changes it.
   */
  default void onOwnershipChange(OwnershipListener listener) {}

  /** Told when zones move between nodes. */
  @FunctionalInterface
  interface OwnershipListener {
    /**
     * The node's zones are now {@code owned}. No batch of a gained zone is delivered, and no other
     * node takes a lost zone, until the returned future completes (within a bounded wait): the
     * listener hands a lost zone's state to the shared store, and takes a gained zone's state from
     * it, before either happens.
     */
    Future<Void> changed(ZoneOwnership owned);
  }

  /** A registered consumer; closing it stops delivery. */
  interface Subscription extends AutoCloseable {
    @Override
    void close();
  }
}
