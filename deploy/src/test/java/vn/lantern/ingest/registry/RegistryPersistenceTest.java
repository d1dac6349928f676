package vn.lantern.ingest.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static vn.lantern.deploy.testing.TestNode.devicePath;

import io.vertx.core.json.JsonObject;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import vn.lantern.common.store.RelationalStore;
import vn.lantern.deploy.testing.TestNode;
import vn.lantern.ingest.MqttTestClients;
import vn.lantern.testing.InfluxDbExtension;
import vn.lantern.testing.TestInflux;

/**
 * The registry outlives the node: devices, gateways and zones are still there after a restart on
 * the same data directory, and the H2 file holds PBKDF2 hashes, never the secrets themselves.
 */
@ExtendWith(InfluxDbExtension.class)
class RegistryPersistenceTest {
  private static final String SECRET = "correct-horse-battery-staple";
  private static final String GATEWAY_SECRET = "gateway-secret-0123456789";

  @TempDir Path dataDir;

  @Test
  void devicesSurviveARestartAndSecretsAreHashed(TestInflux influx) throws Exception {
    JsonObject device;
    try (TestNode node =
        TestNode.builder(dataDir, influx.url(), influx.database())
            .set("rules.seedRulePacks", false)
            .start()) {
      device = node.register("wq-hoi-an-01", "wastewater", "hoi-an", "Trạm xử lý Hội An", SECRET);
      node.register("gw-kcn-01", "gateway", "kcn-dien-nam-dien-ngoc", "Cổng KCN", GATEWAY_SECRET);
      node.register(
          new JsonObject()
              .put("id", "meter-kcn-01")
              .put("type", "energy")
              .put("zone", "kcn-dien-nam-dien-ngoc")
              .put("site", "Xưởng 1")
              .put("gateway", "gw-kcn-01"));
      assertEquals(
          201,
          node.http(
                  "POST",
                  "/api/v1/zones",
                  new JsonObject()
                      .put("id", "cam-chau")
                      .put("name", "Phường Cẩm Châu")
                      .put("kind", "ward")
                      .put("parent", "hoi-an"))
              .status());
    }

    assertDatabaseClosed();
    Map<String, String> hashes = secretHashes();
    assertEquals(3, hashes.size(), hashes::toString);
    for (Map.Entry<String, String> entry :
        Map.of("wq-hoi-an-01", SECRET, "gw-kcn-01", GATEWAY_SECRET).entrySet()) {
      String hash = hashes.get(entry.getKey());
      assertTrue(hash.startsWith("pbkdf2-sha256$"), hash);
      assertFalse(hash.contains(entry.getValue()), hash);
    }
    assertEquals(null, hashes.get("meter-kcn-01"));

    try (TestNode node =
        TestNode.builder(dataDir, influx.url(), influx.database())
            .set("rules.seedRulePacks", false)
            .start()) {
      assertEquals(device, node.get(devicePath("wq-hoi-an-01")).json());
      assertEquals("gw-kcn-01", node.get(devicePath("meter-kcn-01")).json().getString("gateway"));
      assertEquals("hoi-an", node.get("/api/v1/zones/cam-chau").json().getString("parent"));

      long ts = System.currentTimeMillis() - 15_000;
      MqttClient client = MqttTestClients.v3(node.mqttUri(), "wq-hoi-an-01", SECRET);
      try {
        MqttTestClients.publish(
            client, "telemetry", MqttTestClients.lanternJson(ts, "{\"cod_mg_l\":48.5}"));
      } finally {
        MqttTestClients.closeAll(client);
      }
      assertEquals(
          48.5,
          influx
              .awaitRows(
                  "SELECT * FROM wastewater WHERE device = 'wq-hoi-an-01'",
                  1,
                  Duration.ofSeconds(20))
              .get(0)
              .get("cod_mg_l"));
      MqttException refused =
          assertThrows(
              MqttException.class,
              () -> MqttTestClients.v3(node.mqttUri(), "wq-hoi-an-01", "not-the-secret-at-all"));
      assertEquals(4, refused.getReasonCode());
    }
  }

  /** A stopped node must release the H2 file, so a restart or a backup tool can open it. */
  private void assertDatabaseClosed() throws Exception {
    Path file = dataDir.resolve(RelationalStore.EMBEDDED_FILE + ".mv.db");
    try (FileChannel channel =
            FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileLock lock = channel.tryLock()) {
      assertNotNull(lock, "the registry file is still locked after the node stopped");
    } catch (OverlappingFileLockException e) {
      throw new AssertionError("the registry database is still open after the node stopped", e);
    }
  }

  /** Reads the stored hashes straight from the H2 file, as an attacker with the disk would. */
  private Map<String, String> secretHashes() throws Exception {
    String url = "jdbc:h2:file:" + dataDir.resolve(RelationalStore.EMBEDDED_FILE).toAbsolutePath();
    Map<String, String> hashes = new LinkedHashMap<>();
    try (Connection c = DriverManager.getConnection(url, "lantern", "");
        PreparedStatement ps =
            c.prepareStatement("SELECT id, secret_hash FROM device ORDER BY id");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        hashes.put(rs.getString("id"), rs.getString("secret_hash"));
      }
    }
    return hashes;
  }
}
