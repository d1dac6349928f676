package vn.lantern.ingest.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import vn.lantern.common.store.DatabaseSettings;
import vn.lantern.common.store.RelationalStore;
import vn.lantern.testing.TestDatabases;

/**
 * The registry's schema migrates and its statements run the same on the embedded H2 file and on a
 * real PostgreSQL server, and what is written is there after the store is reopened.
 */
class RegistryStoreEnginesTest {
  @TempDir Path dataDir;

  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void zonesAndDevicesRoundTrip(TestDatabases engine) {
    DatabaseSettings settings = engine.freshDatabase();
    try (RelationalStore db = RelationalStore.open(settings, dataDir)) {
      RegistryStore store = RegistryStore.in(db);
      assertTrue(store.zone("hoi-an").isPresent(), "the default zones are seeded");
      assertTrue(store.upsertZone(new Zone("cam-chau", "Cẩm Châu", "ward", "hoi-an", 15.88, null)));
      assertFalse(
          store.upsertZone(new Zone("cam-chau", "Phường Cẩm Châu", "ward", "hoi-an", 15.88, null)));
      assertTrue(store.upsertDevice(device("gw-01", null)));
      assertTrue(store.upsertDevice(device("meter-01", "gw-01")));
      assertFalse(store.upsertDevice(device("meter-01", "gw-01")));
    }
    try (RelationalStore db = RelationalStore.open(settings, dataDir)) {
      RegistryStore store = RegistryStore.in(db);
      assertEquals("Phường Cẩm Châu", store.zone("cam-chau").orElseThrow().name());
      assertEquals(List.of("gw-01", "meter-01"), store.devices().stream().map(Device::id).toList());
      assertTrue(store.deleteDevice("gw-01"));
      assertFalse(store.deleteDevice("gw-01"));
      Device meter = store.devices().get(0);
      assertEquals("meter-01", meter.id());
      assertEquals(null, meter.gateway(), "devices behind a deleted gateway are detached");
      assertEquals(15.88, store.zone("cam-chau").orElseThrow().lat());
    }
  }

  private static Device device(String id, String gateway) {
    return new Device(
        id,
        "energy",
        "cam-chau",
        "Xưởng 1",
        15.9,
        108.3,
        gateway,
        "pbkdf2-sha256$1$a$b",
        null,
        null,
        false);
  }
}
