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
import vn.lantern.sim.device.DeviceTls;
import vn.lantern.sim.device.SimClock;
import vn.lantern.sim.scenario.DeviceSpec;
import vn.lantern.sim.scenario.Fleet;
import vn.lantern.sim.scenario.Scenario;
import vn.lantern.sim.scenario.ScenarioLoader;
import vn.lantern.sim.testing.InProcessNode;
import vn.lantern.sim.verify.InfluxCheck;
import vn.lantern.testing.InfluxDbExtension;
import vn.lantern.testing.TestInflux;

/**
 * {@code sim run}'s uplinks against a node with TLS on: MQTT 3.1.1 and 5 over {@code ssl://} (the
 * node's certificate checked against a CA file) and CoAP over DTLS, first with secrets and PSKs,
 * then with device certificates (CN = device id) from the node's device CA.
 */
@ExtendWith(InfluxDbExtension.class)
class TlsUplinkTest {
  @TempDir static Path dir;
  private static InProcessNode node;

  @BeforeAll
  static void startNode(TestInflux influx) throws Exception {
    node = InProcessNode.startWithTls(influx, dir);
  }

  @AfterAll
  static void stopNode() throws Exception {
    if (node != null) {
      node.close();
    }
  }

  @Test
  void secretsAndPresharedKeysOverTls(TestInflux influx) throws Exception {
    assertEveryReadingStored(influx, new DeviceTls(node.serverCaFile(), null), 12);
  }

  @Test
  void deviceCertificatesInsteadOfSecrets(TestInflux influx) throws Exception {
    Path certs = dir.resolve("device-certs");
    for (DeviceSpec device : fleet().devices()) {
      node.issueDeviceCertificate(device.id(), certs);
    }
    assertEveryReadingStored(influx, new DeviceTls(node.serverCaFile(), certs), 8);
  }

  /** Runs the fleet for 3 s at 60x, scenario time starting {@code minutesAgo}, so runs differ. */
  private static void assertEveryReadingStored(TestInflux influx, DeviceTls tls, int minutesAgo)
      throws Exception {
    Fleet fleet = fleet();
    ApiClient.Provisioned provisioned =
        new ApiClient(node.apiUrl(), node.apiToken()).provision(fleet.devices());
    assertTrue(provisioned.failures().isEmpty(), String.valueOf(provisioned.failures()));
    SimClock clock = SimClock.live(Instant.now().minus(Duration.ofMinutes(minutesAgo)), 60);
    RunSettings settings =
        new RunSettings(
            node.mqttsUri(),
            node.coapsUri(),
            clock,
            Duration.ofSeconds(3),
            Duration.ofSeconds(30),
            DeviceSettings.defaults(),
            tls);
    RunResult result = new FleetRunner(fleet, settings).run();

    assertEquals(0, result.unacknowledged(), result.summary());
    assertEquals(0, result.stats().errors.sum(), result.summary());
    assertEquals(fleet.devices().size(), result.ledger().byDevice().size(), result.summary());
    try (InfluxCheck check = new InfluxCheck(influx.url(), influx.database())) {
      assertEquals(0, check.missing(result.ledger()));
    }
  }

  private static Fleet fleet() throws Exception {
    Scenario scenario = new ScenarioLoader().load(Path.of("src", "test", "resources", "tls.yaml"));
    return new Fleet(scenario, scenario.seed());
  }
}
