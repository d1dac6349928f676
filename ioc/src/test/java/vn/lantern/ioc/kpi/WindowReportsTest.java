package vn.lantern.ioc.kpi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import vn.lantern.common.bus.TelemetryBus;
import vn.lantern.common.bus.ZoneEvent;
import vn.lantern.common.bus.ZoneOwnership;
import vn.lantern.common.telemetry.DeviceRef;
import vn.lantern.common.telemetry.TelemetryBatch;
import vn.lantern.rules.Directory;

/**
 * Two nodes' windows make one report on the leading node: every value once, as soon as both nodes'
 * zones are named, also when a node's part is split over several events; the other node reports
 * nothing. (The events travel between the two here by hand; over Kafka in {@code
 * ClusterViewsTest}.)
 */
class WindowReportsTest {
  private static final long END = 1_800_000_000_000L;
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    vertx.close();
  }

  @Test
  void theLeaderReportsBothNodesWindowsOnceComplete() {
    // 600 sites in ward-a (more than one event's worth), one in ward-b; the city above both
    Directory directory =
        new Directory() {
          @Override
          public Collection<DeviceRef> devices() {
            return List.of(
                new DeviceRef("a", "water_level", "ward-a", "s"),
                new DeviceRef("b", "water_level", "ward-b", "s"));
          }

          @Override
          public boolean zoneExists(String zone) {
            return true;
          }

          @Override
          public Map<String, String> zoneParents() {
            return Map.of("ward-a", "city", "ward-b", "city");
          }
        };
    Node leader = new Node(true, zone -> !zone.equals("ward-a"));
    Node other = new Node(false, zone -> zone.equals("ward-a"));
    List<KpiSnapshot> leaderReports = new CopyOnWriteArrayList<>();
    List<KpiSnapshot> otherReports = new CopyOnWriteArrayList<>();
    WindowReports onLeader =
        new WindowReports(vertx, leader, directory, 60_000, leaderReports::add);
    WindowReports onOther = new WindowReports(vertx, other, directory, 60_000, otherReports::add);

    List<KpiValue> wardA = new ArrayList<>();
    for (int i = 0; i < 600; i++) {
      wardA.add(KpiValue.of("ward-a", "site-" + i, "river_level_max", i, END));
    }
    wardA.add(KpiValue.of("ward-a", null, "river_level_max", 599, END));
    List<KpiValue> leaders =
        List.of(
            KpiValue.of("ward-b", null, "river_level_max", 2, END),
            KpiValue.of("city", null, "river_level_max", 599, END));

    onLeader.own(new KpiSnapshot(END - 60_000, END, leaders));
    assertTrue(leaderReports.isEmpty(), "the leader waits for ward-a");
    onOther.own(new KpiSnapshot(END - 60_000, END, wardA));
    assertEquals(2, other.published.size(), "601 values travel in two events");
    other.published.forEach(onLeader::others);
    leader.published.forEach(onOther::others);

    assertEquals(1, leaderReports.size());
    KpiSnapshot report = leaderReports.get(0);
    assertEquals(END, report.windowEnd());
    assertEquals(603, report.values().size());
    Set<String> keys = new HashSet<>();
    report.values().forEach(v -> assertTrue(keys.add(v.key()), "once: " + v.key()));
    assertTrue(otherReports.isEmpty(), "only the leader reports");
  }

  /** One node's bus: what it publishes is kept for the test to hand to the other node. */
  private static final class Node implements TelemetryBus {
    final boolean leads;
    final ZoneOwnership owned;
    final List<ZoneEvent> published = new ArrayList<>();

    Node(boolean leads, ZoneOwnership owned) {
      this.leads = leads;
      this.owned = owned;
    }

    @Override
    public boolean clustered() {
      return true;
    }

    @Override
    public boolean leads() {
      return leads;
    }

    @Override
    public ZoneOwnership ownership() {
      return owned;
    }

    @Override
    public void publishEvent(ZoneEvent event) {
      // through JSON text, as over Kafka
      published.add(
          new ZoneEvent(
              event.zone(),
              event.kind(),
              new io.vertx.core.json.JsonObject(event.body().encode())));
    }

    @Override
    public void publish(TelemetryBatch batch) {}

    @Override
    public Subscription subscribe(Consumer<TelemetryBatch> consumer) {
      return () -> {};
    }
  }
}
