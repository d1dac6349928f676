package vn.lantern.sim.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import vn.lantern.sim.device.DeviceSettings;
import vn.lantern.sim.device.SimClock;
import vn.lantern.sim.scenario.Fleet;
import vn.lantern.sim.scenario.Scenario;
import vn.lantern.sim.scenario.ScenarioLoader;
import vn.lantern.sim.testing.InProcessNode;
import vn.lantern.sim.verify.InfluxCheck;
import vn.lantern.testing.InfluxDbExtension;
import vn.lantern.testing.TestInflux;

/**
 * A small scenario against a real in-process ingest node and a real InfluxDB: provisioning through
 * the API, MQTT 3.1.1 and 5, CoAP over DTLS with a pre-shared key, all payload formats, an uplink
 * outage with catch-up, and every acknowledged reading found in InfluxDB afterwards.
 */
@ExtendWith(InfluxDbExtension.class)
class EndToEndTest {
  private static InProcessNode node;

  @BeforeAll
  static void startNode(TestInflux influx, @TempDir Path dataDir) throws Exception {
    node = InProcessNode.start(influx, dataDir);
  }

  @AfterAll
  static void stopNode() throws Exception {
    if (node != null) {
      node.close();
    }
  }

  @Test
  void everyAcknowledgedReadingIsStored(TestInflux influx) throws Exception {
    Scenario scenario = new ScenarioLoader().load(Path.of("src", "test", "resources", "e2e.yaml"));
    Fleet fleet = new Fleet(scenario, scenario.seed());
    String api = node.apiUrl();

    ApiClient.Provisioned first = new ApiClient(api, node.apiToken()).provision(fleet.devices());
    assertEquals(fleet.devices().size(), first.created(), String.valueOf(first.failures()));
    ApiClient.Provisioned again = new ApiClient(api, node.apiToken()).provision(fleet.devices());
    assertEquals(fleet.devices().size(), again.updated(), "provisioning is idempotent");

    double speed = 60;
    Duration wall = Duration.ofSeconds(8);
    SimClock clock =
        SimClock.live(Instant.now().minusMillis((long) (wall.toMillis() * speed)), speed);
    RunSettings settings =
        new RunSettings(
            node.mqttUri(),
            node.coapsUri(),
            clock,
            wall,
            Duration.ofSeconds(30),
            DeviceSettings.defaults());
    RunResult result = new FleetRunner(fleet, settings).run();

    assertEquals(0, result.unacknowledged(), result.summary());
    assertEquals(0, result.stats().errors.sum(), result.summary());
    assertEquals(result.stats().measured.sum(), result.stats().acked.sum(), result.summary());
    assertTrue(result.stats().silenced.sum() > 0, "the silent outage skipped samples");
    assertEquals(fleet.devices().size(), result.ledger().byDevice().size());
    // 8 s at 60x is 8 minutes of scenario time: ~48 readings per device at 10 s.
    result
        .ledger()
        .byDevice()
        .forEach(
            (id, entry) ->
                assertTrue(entry.timestamps().size() >= 20, id + ": " + entry.timestamps().size()));
    try (InfluxCheck check = new InfluxCheck(influx.url(), influx.database())) {
      assertEquals(0, check.missing(result.ledger()));
    }
    assertEquals(
        result.ledger().byDevice().get("e2e-air-01").timestamps().size(),
        influx.count("air_quality"));
  }
}
