package vn.lantern.ioc.kpi;

import io.vertx.core.Future;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import vn.lantern.common.bus.TelemetryBus;
import vn.lantern.common.bus.ZoneOwnership;
import vn.lantern.common.telemetry.TelemetryBatch;

/** A bus nothing is published on, of a node owning the zones the test says, when it says. */
final class QuietBus implements TelemetryBus {
  private volatile ZoneOwnership owned;
  private final List<OwnershipListener> listeners = new CopyOnWriteArrayList<>();

  /** A bus of a node owning every zone. */
  QuietBus() {
    this(ZoneOwnership.ALL);
  }

  QuietBus(ZoneOwnership owned) {
    this.owned = owned;
  }

  /** The node now owns {@code to}; completes once every listener has followed. */
  Future<Void> move(ZoneOwnership to) {
    owned = to;
    return Future.join(listeners.stream().map(l -> l.changed(to)).toList()).mapEmpty();
  }

  @Override
  public ZoneOwnership ownership() {
    return owned;
  }

  @Override
  public void onOwnershipChange(OwnershipListener listener) {
    listeners.add(listener);
  }

  @Override
  public void publish(TelemetryBatch batch) {}

  @Override
  public Subscription subscribe(Consumer<TelemetryBatch> consumer) {
    return () -> {};
  }
}
