package vn.lantern.ingest.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.lantern.common.store.DatabaseSettings;
import vn.lantern.common.store.RelationalStore;

/**
 * A change the API answered 2xx for is on disk: the embedded file, copied as a crash would leave it
 * (the store still open, nothing flushed at close), already holds it.
 */
class RegistryDurabilityTest {
  @TempDir Path dataDir;
  @TempDir Path crashCopy;

  @Test
  void aCommittedDeviceIsInTheFileBeforeTheStoreCloses() throws Exception {
    String file = RelationalStore.EMBEDDED_FILE + ".mv.db";
    try (RelationalStore db = RelationalStore.open(DatabaseSettings.defaults(), dataDir)) {
      RegistryStore.in(db)
          .upsertDevice(
              new Device(
                  "wl-01",
                  "water_level",
                  "hoi-an",
                  "Cầu An Hội",
                  null,
                  null,
                  null,
                  null,
                  null,
                  null,
                  false));
      Files.copy(dataDir.resolve(file), crashCopy.resolve(file));
    }
    try (RelationalStore copy = RelationalStore.open(DatabaseSettings.defaults(), crashCopy)) {
      assertEquals(
          List.of("wl-01"), RegistryStore.in(copy).devices().stream().map(Device::id).toList());
    }
  }
}
