package vn.lantern.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import vn.lantern.common.store.DatabaseSettings;
import vn.lantern.common.store.RelationalStore;

/** Both test engines give a working, empty store, and each fresh database is its own. */
class PostgresProcessTest {
  @TempDir Path dataDir;

  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void aFreshDatabaseTakesWritesAndKeepsThem(TestDatabases engine) {
    DatabaseSettings settings = engine.freshDatabase();
    try (RelationalStore db = RelationalStore.open(settings, dataDir)) {
      db.update("CREATE TABLE probe (id INT PRIMARY KEY, label VARCHAR(16))", List.of());
      assertEquals(1, db.update("INSERT INTO probe VALUES (?, ?)", List.of(1, "một")));
    }
    try (RelationalStore db = RelationalStore.open(settings, dataDir)) {
      assertEquals(
          List.of("một"), db.query("SELECT label FROM probe", List.of(), rs -> rs.getString(1)));
    }
    if (engine == TestDatabases.POSTGRES) {
      try (RelationalStore other = RelationalStore.open(engine.freshDatabase(), dataDir)) {
        assertEquals(
            List.of(0L),
            other.query(
                "SELECT count(*) FROM information_schema.tables WHERE table_name = 'probe'",
                List.of(),
                rs -> rs.getLong(1)));
      }
    }
  }
}
