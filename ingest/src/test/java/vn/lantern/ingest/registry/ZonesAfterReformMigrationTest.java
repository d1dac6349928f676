package vn.lantern.ingest.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import vn.lantern.common.store.DatabaseSettings;
import vn.lantern.common.store.RelationalStore;
import vn.lantern.testing.TestDatabases;

/**
 * A store created before the 2025 reform (the schema before V10, with an operator's edit and a
 * device) is migrated in place on H2 and PostgreSQL: names with diacritics, the parent chain up to
 * Đà Nẵng City, the city's unit code; ids, devices and the operator's own name stay.
 */
class ZonesAfterReformMigrationTest {
  @TempDir Path dataDir;

  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void anExistingStoreIsMigratedNotReset(TestDatabases engine) throws Exception {
    DatabaseSettings settings = engine.freshDatabase();
    String url = settings.embedded() ? RelationalStore.embeddedUrl(dataDir) : settings.url();
    String user = settings.embedded() ? "lantern" : settings.user();
    String password = settings.embedded() ? "" : settings.password();
    Flyway.configure()
        .dataSource(url, user, password)
        .locations("classpath:db/migration")
        .target("8")
        .load()
        .migrate();
    try (Connection c = DriverManager.getConnection(url, user, password);
        Statement s = c.createStatement()) {
      s.executeUpdate("UPDATE zone SET name = 'Phố cổ Hội An' WHERE id = 'hoi-an'");
      s.executeUpdate(
          "INSERT INTO device (id, type, zone, site) VALUES ('hoian-wl-01', 'water_level',"
              + " 'hoi-an', 'Hoi An')");
    }

    try (RelationalStore db = RelationalStore.open(settings, dataDir)) {
      RegistryStore store = RegistryStore.in(db);
      Zone city = store.zone("da-nang").orElseThrow();
      assertEquals("Thành phố Đà Nẵng", city.name());
      assertEquals("48", city.code());
      assertNull(city.parent());
      Zone tamKy = store.zone("tam-ky").orElseThrow();
      assertEquals("Tam Kỳ", tamKy.name());
      assertEquals("ward", tamKy.kind());
      assertEquals("da-nang", tamKy.parent());
      assertNull(tamKy.code(), "no ward code is shipped without a source");
      assertEquals("Phố cổ Hội An", store.zone("hoi-an").orElseThrow().name());
      assertEquals("da-nang", store.zone("hoi-an").orElseThrow().parent());
      assertEquals("Điện Bàn", store.zone("dien-ban").orElseThrow().name());
      Zone park = store.zone("kcn-dien-nam-dien-ngoc").orElseThrow();
      assertEquals("KCN Điện Nam – Điện Ngọc", park.name());
      assertEquals("dien-ban", park.parent());
      assertEquals("tam-ky", store.zone("kcn-thuan-yen").orElseThrow().parent());
      for (String id : new String[] {"kcn-tam-thang", "kcn-bac-chu-lai", "kcn-tam-hiep"}) {
        assertEquals("kkt-chu-lai", store.zone(id).orElseThrow().parent(), id);
      }
      assertEquals("KCN Tam Hiệp", store.zone("kcn-tam-hiep").orElseThrow().name());
      assertEquals("da-nang", store.zone("kkt-chu-lai").orElseThrow().parent());
      assertEquals("hoi-an", store.device("hoian-wl-01").orElseThrow().zone());
      for (Zone z : store.zones()) {
        int hops = 0;
        for (Zone at = z; at.parent() != null; at = store.zone(at.parent()).orElseThrow()) {
          hops++;
        }
        assertEquals(z.id().equals("da-nang"), hops == 0, z.id() + " reaches the city");
      }
    }
  }
}
