package vn.lantern.sim.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import vn.lantern.deploy.testing.TestNode;
import vn.lantern.sim.device.DeviceSettings;
import vn.lantern.sim.device.SimClock;
import vn.lantern.sim.scenario.DeviceSpec;
import vn.lantern.sim.scenario.Fleet;
import vn.lantern.sim.scenario.Scenario;
import vn.lantern.sim.scenario.ScenarioLoader;
import vn.lantern.sim.verify.DrillCheck;
import vn.lantern.testing.InfluxDbExtension;
import vn.lantern.testing.TestInflux;

/**
 * Drills that prove themselves: a shipped scenario runs accelerated against a standalone node
 * (ingest, rules with the shipped rule packs, KPIs) on the test's real InfluxDB, and the alert and
 * KPI promises of its {@code expect:} block must hold, as {@code ./lantern sim run} reports them.
 */
@ExtendWith(InfluxDbExtension.class)
class DrillsTest {
  /** Each drill, whatever its length, runs in this much wall time, ending about now. */
  private static final Duration WALL = Duration.ofSeconds(40);

  /** Readings of a cold fleet reach the node up to about this late (wall clock). */
  private static final Duration DELIVERY_LAG = Duration.ofSeconds(3);

  /** Drills up to this long run whole. */
  private static final Duration LONGEST_WHOLE = Duration.ofHours(12);

  /**
   * Scenario time a longer drill covers. The 24-hour normal day of {@code quang-nam} (~300 devices)
   * whole would be 2,160× and flood the node with readings; its promises (fleets online, rivers
   * below BĐ1, read at the end of the run) hold after any hour of it, here one at 90×.
   */
  private static final Duration LONG_DRILL_SPAN = Duration.ofHours(1);

  @TempDir static Path dataDir;
  private static TestNode node;

  @BeforeAll
  static void start(TestInflux influx) throws Exception {
    node =
        TestNode.builder(dataDir, influx)
            .set("rules.seedRulePacks", true)
            // Every simulated device connects from 127.0.0.1: one address carries the whole fleet
            // (~300 devices in quang-nam), as a site behind one gateway or NAT address does, so
            // the node is set up as its operator would set it. At the default of 100 connections
            // per address, about 200 of them were refused (CONNACK 0x97 / Server unavailable) and
            // retried in a loop, and their readings never arrived.
            .set("connections.maxMqttPerAddress", 1000)
            .set("kpis.windowMs", 2000)
            .set("kpis.timeZone", noonZone())
            .start();
  }

  /**
   * A fixed-offset zone in which it is about noon now, so the node's "today" (wastewater compliance
   * counts today's averages) holds a drill of up to 12 hours ending now, whatever the hour the test
   * runs at.
   */
  private static String noonZone() {
    int offset = 12 - Instant.now().atZone(ZoneOffset.UTC).getHour();
    return ZoneOffset.ofHours(offset).getId();
  }

  @AfterAll
  static void stop() throws Exception {
    if (node != null) {
      node.close();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"wastewater-breach", "hoi-an-flood", "sensor-outage", "quang-nam"})
  void drillKeepsItsPromises(String name) throws Exception {
    Scenario scenario = new ScenarioLoader().load(Path.of("scenarios", name + ".yaml"));
    Fleet fleet = new Fleet(scenario, scenario.seed());
    String api = "http://127.0.0.1:" + node.httpPort();
    ApiClient.Provisioned provisioned =
        new ApiClient(api, TestNode.SERVICE_TOKEN).provision(fleet.devices());
    assertTrue(provisioned.failures().isEmpty(), String.valueOf(provisioned.failures()));

    Duration span =
        scenario.duration().compareTo(LONGEST_WHOLE) <= 0 ? scenario.duration() : LONG_DRILL_SPAN;
    double speed = (double) span.toMillis() / WALL.toMillis();
    SimClock clock = SimClock.live(Instant.now().minus(span), speed);
    RunResult result =
        new FleetRunner(
                fleet,
                new RunSettings(
                    "tcp://127.0.0.1:" + node.mqttPort(),
                    null,
                    clock,
                    WALL,
                    Duration.ofSeconds(30),
                    DeviceSettings.defaults()))
            .run();
    assertEquals(0, result.unacknowledged(), result.summary());

    Thread.sleep(5_000); // KPI windows close and the last alerts settle
    List<DrillCheck.Result> results =
        new DrillCheck(api, TestNode.SERVICE_TOKEN, DELIVERY_LAG).check(scenario, clock);
    // The next drill's devices start unseen, as on a fresh site, even where drills share a gauge.
    for (DeviceSpec device : fleet.devices()) {
      assertEquals(204, node.http("DELETE", "/api/v1/devices/" + device.id(), null).status());
    }
    String report = results.stream().map(DrillCheck.Result::line).collect(Collectors.joining("\n"));
    assertFalse(results.isEmpty(), name + " has alert or KPI expectations");
    assertTrue(results.stream().allMatch(DrillCheck.Result::held), name + ":\n" + report);
  }
}
