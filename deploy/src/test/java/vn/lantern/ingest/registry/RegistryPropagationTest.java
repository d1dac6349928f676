package vn.lantern.ingest.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static vn.lantern.deploy.testing.TestNode.devicePath;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import vn.lantern.common.store.DatabaseSettings;
import vn.lantern.deploy.testing.TestNode;
import vn.lantern.ingest.MqttTestClients;
import vn.lantern.testing.InfluxDbExtension;
import vn.lantern.testing.TestDatabases;
import vn.lantern.testing.TestInflux;

/**
 * Two ingest nodes sharing one PostgreSQL store: a device registered through one connects to the
 * other, and a device deleted through one is refused by the other within seconds (PostgreSQL
 * LISTEN/NOTIFY), with no restart.
 */
@ExtendWith(InfluxDbExtension.class)
class RegistryPropagationTest {
  private static final String SECRET = "a-long-random-device-secret";
  private static final Duration WITHIN = Duration.ofSeconds(5);

  @TempDir Path dataDirA;
  @TempDir Path dataDirB;

  @Test
  void registrationsAndDeletionsReachTheOtherNode(TestInflux influx) throws Exception {
    DatabaseSettings db = TestDatabases.POSTGRES.freshDatabase();
    Map<String, String> shared =
        Map.of(
            "db.url", db.url(),
            "db.user", db.user(),
            "db.password", db.password(),
            "registry.pskKey", Base64.getEncoder().encodeToString(new byte[32]));
    try (TestNode a =
            TestNode.builder(dataDirA, influx.url(), influx.database())
                .set("rules.seedRulePacks", false)
                .setAll(shared)
                .start();
        TestNode b =
            TestNode.builder(dataDirB, influx.url(), influx.database())
                .set("rules.seedRulePacks", false)
                .setAll(shared)
                .start()) {
      a.register("hoian-wl-07", "water_level", "hoi-an", "Cầu An Hội", SECRET);
      awaitConnects(b, true);

      assertEquals(204, b.http("DELETE", devicePath("hoian-wl-07"), null).status());
      awaitConnects(a, false);
      MqttException refused =
          assertThrows(
              MqttException.class, () -> MqttTestClients.v3(a.mqttUri(), "hoian-wl-07", SECRET));
      assertEquals(MqttException.REASON_CODE_FAILED_AUTHENTICATION, refused.getReasonCode());
      assertEquals(404, a.get(devicePath("hoian-wl-07")).status());
    }
  }

  private static void awaitConnects(TestNode node, boolean expected) throws Exception {
    long deadline = System.nanoTime() + WITHIN.toNanos();
    while (true) {
      boolean connected;
      try {
        MqttClient client = MqttTestClients.v3(node.mqttUri(), "hoian-wl-07", SECRET);
        MqttTestClients.closeAll(client);
        connected = true;
      } catch (MqttException e) {
        connected = false;
      }
      if (connected == expected) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "after "
                + WITHIN.toSeconds()
                + " s the device still "
                + (expected ? "cannot" : "can")
                + " connect to the other node");
      }
      Thread.sleep(100);
    }
  }
}
