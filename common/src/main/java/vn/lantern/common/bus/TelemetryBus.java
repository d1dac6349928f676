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

  /**
   * Sends a command to the node that evaluates {@code command.zone()}. On Kafka it is a record
   * keyed by the zone on the readings topic, so the member owning that zone's partition gets it,
   * after the readings sent before it, and whoever owns the partition next gets it if that member
   * leaves first. The in-process bus evaluates every zone here and has nobody to send it to.
   *
   * @return completes once the bus holds the command durably
   */
  default Future<Void> sendToOwner(ZoneCommand command) {
    return Future.failedFuture(
        new UnsupportedOperationException("every zone is evaluated on this node"));
  }

  /**
   * Registers the handler of commands of {@code kind} sent to this node's zones with {@link
   * #sendToOwner}; it is called on the Vert.x context it was registered from.
   */
  default void onCommand(String kind, Consumer<ZoneCommand> handler) {}

  /**
   * Whether other nodes evaluate other zones (a cluster): then what this node computes for its own
   * zones is published with {@link #publishEvent} for the others to show. False on the in-process
   * bus, where this node evaluates every zone.
   */
  default boolean clustered() {
    return false;
  }

  /**
   * Whether this node speaks for the whole cluster where exactly one node must (the IOC report of a
   * window): always on the in-process bus; on Kafka, the owner of the readings topic's first
   * partition.
   */
  default boolean leads() {
    return true;
  }

  /**
   * Publishes an event of one of this node's zones to every other node, best effort (a view, not a
   * record: it may be dropped while the bus is unreachable). Never delivered back to this node. The
   * in-process bus has no other node: it drops it.
   */
  default void publishEvent(ZoneEvent event) {}

  /**
   * Registers the handler of events of {@code kind} that other nodes published; it is called on the
   * Vert.x context it was registered from, from the time of registration on.
   */
  default void onEvent(String kind, Consumer<ZoneEvent> handler) {}

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
