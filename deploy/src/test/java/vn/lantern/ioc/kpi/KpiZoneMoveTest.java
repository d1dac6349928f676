package vn.lantern.ioc.kpi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import vn.lantern.common.bus.ZoneOwnership;
import vn.lantern.deploy.testing.TestNode;
import vn.lantern.testing.InfluxDbExtension;
import vn.lantern.testing.TestInflux;

/**
 * A zone that leaves a KPI engine and comes back (in a cluster: a killed owner's zone, ownerless
 * until its session runs out, then gained by another node): the windows that closed meanwhile are
 * computed and stored when the zone is gained, so its KPI series in InfluxDB has no gap.
 */
@ExtendWith(InfluxDbExtension.class)
class KpiZoneMoveTest {
  // long enough that a window never closes a whole window late on a loaded machine
  private static final long WINDOW_MS = 2000;
  private static final String ZONE = "hoi-an";

  @TempDir static Path dataDir;
  static TestNode node;
  static TestInflux influx;

  @BeforeAll
  static void start(TestInflux testInflux) throws Exception {
    influx = testInflux;
    node =
        TestNode.builder(dataDir, testInflux)
            .set("rules.seedRulePacks", false)
            .fastKpis(WINDOW_MS)
            .start();
    // only the engine under test writes KPI windows
    TestNode.await(node.node().kpis().engine().stop());
  }

  @AfterAll
  static void stop() throws Exception {
    node.close();
  }

  @Test
  void theWindowsAZoneMissedWhileOwnerlessAreStoredWhenItIsGained() throws Exception {
    node.device("wl-move", "water_level", ZONE, "Trạm Hội An");
    MqttClient device = node.mqtt("wl-move");
    TestNode.publish(device, "level", 2.5);
    device.disconnect();
    influx.awaitRows(
        "SELECT \"level\" FROM water_level WHERE \"device\" = 'wl-move'",
        1,
        Duration.ofSeconds(30));

    QuietBus bus = new QuietBus();
    try (SideKpiEngines engines = new SideKpiEngines(node, influx, "kpi-move-test")) {
      KpiEngine engine = engines.create();
      try {
        TestNode.await(engine.start(bus));
        awaitWindowWith(engine, true);
        List<Long> before = storedWindowEnds();
        assertFalse(before.isEmpty(), "a window of the zone was stored while it was owned");

        // the zone has no owner for a few windows
        TestNode.await(bus.move(zone -> !zone.equals(ZONE)));
        for (int i = 0; i < 3; i++) {
          awaitWindowWith(engine, false);
        }
        TestNode.await(bus.move(ZoneOwnership.ALL));
        awaitWindowWith(engine, true);

        // every window from the first stored to the last: none missing
        long last = awaitWindowWith(engine, true);
        List<Long> ends = storedWindowEndsUntil(last);
        assertEquals(before.get(0), ends.get(0));
        for (int i = 1; i < ends.size(); i++) {
          assertEquals(ends.get(i - 1) + WINDOW_MS, ends.get(i), "windows stored: " + ends);
        }
      } finally {
        TestNode.await(engine.stop());
      }
    }
  }

  /** Waits for the next window whose snapshot does (or does not) hold the zone; its end. */
  private static long awaitWindowWith(KpiEngine engine, boolean withZone) throws Exception {
    CompletableFuture<Long> end = new CompletableFuture<>();
    engine.onWindow(
        s -> {
          boolean has = s.values().stream().anyMatch(v -> v.zone().equals(ZONE));
          if (has == withZone) {
            end.complete(s.windowEnd());
          }
        });
    return end.get(30, TimeUnit.SECONDS);
  }

  private static List<Long> storedWindowEnds() {
    return storedWindowEndsUntil(0);
  }

  /** The window ends of the zone's stored river level, once the one ending at {@code last} is. */
  private static List<Long> storedWindowEndsUntil(long last) {
    String query =
        "SELECT \"value\" FROM kpi WHERE \"zone\" = '"
            + ZONE
            + "' AND \"kpi\" = 'river_level_max' AND \"site\" = ''";
    long deadline = System.currentTimeMillis() + 30_000;
    while (true) {
      List<Long> ends = new ArrayList<>();
      for (Map<String, Object> row : influx.query(query)) {
        ends.add((Long) row.get("time"));
      }
      if ((!ends.isEmpty() && ends.get(ends.size() - 1) >= last)
          || System.currentTimeMillis() > deadline) {
        return ends;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return ends;
      }
    }
  }
}
