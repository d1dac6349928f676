package vn.lantern.common.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import vn.lantern.testing.TestDatabases;

/**
 * Rows rewritten in Java inside one transaction, on H2 and PostgreSQL: only those the rewrite
 * changes are updated, by their key, with the values it gives.
 */
class RowRewriterTest {
  @TempDir Path dataDir;

  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void onlyTheRowsARewriteChangesAreUpdated(TestDatabases engine) {
    try (RelationalStore db = RelationalStore.open(engine.freshDatabase(), dataDir)) {
      db.update(
          "CREATE TABLE rewrite_test (id VARCHAR(16) PRIMARY KEY, zones VARCHAR(64))", List.of());
      db.update(
          "INSERT INTO rewrite_test (id, zones) VALUES ('a', 'x,old'), ('b', 'y'), ('c', 'old')",
          List.of());

      int rewritten =
          db.inTransaction(
              c ->
                  RowRewriter.rewrite(
                      c,
                      "SELECT id, zones FROM rewrite_test WHERE id <> ?",
                      List.of("c"),
                      "UPDATE rewrite_test SET zones = ? WHERE id = ?",
                      row -> {
                        String zones = row.getString(2);
                        return zones.contains("old") ? List.of(zones.replace("old", "new")) : null;
                      }));

      assertEquals(1, rewritten);
      assertEquals(
          List.of("a=x,new", "b=y", "c=old"),
          db.query(
              "SELECT id, zones FROM rewrite_test ORDER BY id",
              List.of(),
              rs -> rs.getString(1) + "=" + rs.getString(2)));
    }
  }
}
