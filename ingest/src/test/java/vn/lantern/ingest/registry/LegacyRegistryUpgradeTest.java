package vn.lantern.ingest.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.lantern.common.store.DatabaseSettings;
import vn.lantern.common.store.RelationalStore;

/**
 * A data directory from before the one store (the registry alone in {@code registry.mv.db}, with
 * its own migration history) is imported on the first start, not lost, and only once.
 */
class LegacyRegistryUpgradeTest {
  @TempDir Path dataDir;

  @Test
  void theOldRegistryFileIsImportedOnce() throws Exception {
    writeOldLayout();

    try (RelationalStore db = RelationalStore.open(DatabaseSettings.defaults(), dataDir)) {
      RegistryStore store = RegistryStore.in(db);
      assertEquals(List.of("gw-01", "meter-01"), store.devices().stream().map(Device::id).toList());
      Device meter = store.devices().get(1);
      assertEquals("gw-01", meter.gateway());
      assertEquals("pbkdf2-sha256$1$salt$hash", meter.secretHash());
      assertEquals("v1:cipher", meter.pskCiphertext());
      assertEquals("hoi-an", store.zone("cam-chau").orElseThrow().parent());
      assertEquals("Hội An (renamed)", store.zone("hoi-an").orElseThrow().name());
      assertTrue(store.zone("tam-ky").isEmpty(), "a zone the operator had deleted stays deleted");
      store.deleteDevice("meter-01");
    }
    assertFalse(Files.exists(dataDir.resolve("registry.mv.db")));
    assertTrue(Files.exists(dataDir.resolve("registry.mv.db.imported")));

    try (RelationalStore db = RelationalStore.open(DatabaseSettings.defaults(), dataDir)) {
      assertEquals(
          List.of("gw-01"), RegistryStore.in(db).devices().stream().map(Device::id).toList());
    }
  }

  /**
   * What the previous version left: its own H2 file and Flyway history, with an operator's edits.
   */
  private void writeOldLayout() throws Exception {
    String url = "jdbc:h2:file:" + dataDir.resolve("registry").toAbsolutePath();
    Flyway.configure()
        .dataSource(url, "lantern", "")
        .locations("classpath:db/migration")
        .target("3")
        .load()
        .migrate();
    try (Connection c = DriverManager.getConnection(url, "lantern", "");
        Statement s = c.createStatement()) {
      s.executeUpdate("UPDATE zone SET name = 'Hội An (renamed)' WHERE id = 'hoi-an'");
      s.executeUpdate("UPDATE zone SET parent = NULL WHERE parent = 'tam-ky'");
      s.executeUpdate("DELETE FROM zone WHERE id = 'tam-ky'");
      s.executeUpdate(
          "INSERT INTO zone (id, name, kind, parent) VALUES ('cam-chau', 'Cẩm Châu', 'ward',"
              + " 'hoi-an')");
      s.executeUpdate(
          "INSERT INTO device (id, type, zone, site, secret_hash) VALUES ('gw-01', 'gateway',"
              + " 'cam-chau', 'Tủ 1', 'pbkdf2-sha256$1$salt$gw')");
      s.executeUpdate(
          "INSERT INTO device (id, type, zone, site, gateway, secret_hash, psk_ciphertext) VALUES"
              + " ('meter-01', 'energy', 'cam-chau', 'Tủ 1', 'gw-01', 'pbkdf2-sha256$1$salt$hash',"
              + " 'v1:cipher')");
      s.execute("SHUTDOWN");
    }
  }
}
