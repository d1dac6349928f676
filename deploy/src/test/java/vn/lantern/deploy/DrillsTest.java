package vn.lantern.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import vn.lantern.sim.device.DeviceSettings;
import vn.lantern.sim.device.SimClock;
import vn.lantern.sim.run.ApiClient;
import vn.lantern.sim.run.FleetRunner;
import vn.lantern.sim.run.RunResult;
import vn.lantern.sim.run.RunSettings;
import vn.lantern.sim.scenario.Fleet;
import vn.lantern.sim.scenario.Scenario;
import vn.lantern.sim.scenario.ScenarioLoader;
import vn.lantern.sim.verify.DrillCheck;
import vn.lantern.testing.InfluxDbExtension;
import vn.lantern.testing.TestInflux;

/**
 * Drills that prove themselves: each shipped scenario runs accelerated against a standalone node
 * (ingest, rules with the shipped rule packs, KPIs) on the test's real InfluxDB, and the alert and
 * KPI expectations of its {@code expect:} block must hold, as {@code ./lantern sim run} reports
 * them.
 */
@ExtendWith(InfluxDbExtension.class)
class DrillsTest {
  private static final String TOKEN = "drills-service-token-0123456789abcdef";
  private static final Duration WALL = Duration.ofSeconds(40);

  /** Readings of a cold fleet reach the node up to about this late (wall clock). */
  private static final Duration DELIVERY_LAG = Duration.ofSeconds(3);

  @TempDir static Path dataDir;
  private static StandaloneNode node;

  @BeforeAll
  static void start(TestInflux influx) throws Exception {
    Map<String, String> env =
        Map.ofEntries(
            Map.entry("LANTERN_DATA_DIR", dataDir.toString()),
            Map.entry("LANTERN_HTTP_HOST", "127.0.0.1"),
            Map.entry("LANTERN_HTTP_PORT", "0"),
            Map.entry("LANTERN_MQTT_HOST", "127.0.0.1"),
            Map.entry("LANTERN_MQTT_PORT", "0"),
            Map.entry("LANTERN_COAPS_HOST", "127.0.0.1"),
            Map.entry("LANTERN_COAPS_PORT", "0"),
            Map.entry("LANTERN_INFLUX_URL", influx.url()),
            Map.entry("LANTERN_INFLUX_DB", influx.database()),
            Map.entry("LANTERN_API_TOKEN", TOKEN),
            Map.entry("LANTERN_ADMIN_PASSWORD", "drills-admin-password"),
            Map.entry("LANTERN_RULES_TICK_MS", "200"),
            Map.entry("LANTERN_KPI_WINDOW_MS", "2000"));
    node =
        StandaloneNode.await(
            StandaloneNode.start(NodeConfig.load(null, env), null), Duration.ofSeconds(60));
  }

  @AfterAll
  static void stop() throws Exception {
    if (node != null) {
      node.close(Duration.ofSeconds(15));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"wastewater-breach", "hoi-an-flood"})
  void drillKeepsItsPromises(String name) throws Exception {
    Scenario scenario =
        new ScenarioLoader().load(Path.of("..", "firmware-sim", "scenarios", name + ".yaml"));
    Fleet fleet = new Fleet(scenario, scenario.seed());
    String api = "http://127.0.0.1:" + node.httpPort();
    ApiClient.Provisioned provisioned = new ApiClient(api, TOKEN).provision(fleet.devices());
    assertTrue(provisioned.failures().isEmpty(), String.valueOf(provisioned.failures()));

    // The whole drill in WALL, ending about now (the node takes readings up to 7 days old).
    double speed = (double) scenario.duration().toMillis() / WALL.toMillis();
    SimClock clock = SimClock.live(Instant.now().minus(scenario.duration()), speed);
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
        new DrillCheck(api, TOKEN, DELIVERY_LAG).check(scenario, clock);
    String report = results.stream().map(DrillCheck.Result::line).collect(Collectors.joining("\n"));
    assertTrue(!results.isEmpty(), name + " has alert or KPI expectations");
    assertTrue(results.stream().allMatch(DrillCheck.Result::held), name + ":\n" + report);
  }
}
