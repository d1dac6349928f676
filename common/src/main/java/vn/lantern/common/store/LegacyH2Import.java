package vn.lantern.common.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Clob;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves the data of the separate H2 files that versions before the one store kept in the data
 * directory ({@code registry}, {@code rules}, {@code kpis}, each with its own migration history)
 * into the one store, once. A file is imported when every table it holds exists in the store (so a
 * node whose build lacks a module leaves that module's file alone), in one transaction, and is then
 * renamed {@code NAME.mv.db.imported}: kept for the operator, never read again.
 */
final class LegacyH2Import {
  private static final Logger LOG = LoggerFactory.getLogger(LegacyH2Import.class);

  /** A table of an old file; {@code selfReference} is a column referencing the same table. */
  private record Table(String name, String selfReference) {}

  private record LegacyFile(String baseName, List<Table> tables) {}

  // Parents before children, as the old schemas declared them.
  private static final List<LegacyFile> FILES =
      List.of(
          new LegacyFile(
              "registry", List.of(new Table("zone", "parent"), new Table("device", "gateway"))),
          new LegacyFile(
              "rules",
              List.of(
                  new Table("rule", null),
                  new Table("alert", null),
                  new Table("alert_transition", null),
                  new Table("app_user", null),
                  new Table("dead_letter", null),
                  new Table("setting", null))),
          new LegacyFile("kpis", List.of(new Table("kpi_definition", null))));

  private final RelationalStore store;
  private final Path dataDir;

  LegacyH2Import(RelationalStore store, Path dataDir) {
    this.store = store;
    this.dataDir = dataDir;
  }

  void run() {
    for (LegacyFile file : FILES) {
      Path mvFile = dataDir.resolve(file.baseName() + ".mv.db");
      if (Files.exists(mvFile) && store.inTransaction(c -> allTablesExist(c, file))) {
        importFile(file, mvFile);
      }
    }
  }

  private void importFile(LegacyFile file, Path mvFile) {
    String url =
        "jdbc:h2:file:" + dataDir.resolve(file.baseName()).toAbsolutePath() + ";IFEXISTS=TRUE";
    try (Connection legacy = DriverManager.getConnection(url, "lantern", "")) {
      int rows =
          store.inTransaction(
              target -> {
                // The fresh store holds only what migrations seeded (e.g. the default zones): the
                // old file's rows replace them.
                for (int i = file.tables().size() - 1; i >= 0; i--) {
                  try (Statement s = target.createStatement()) {
                    s.executeUpdate("DELETE FROM " + file.tables().get(i).name());
                  }
                }
                int copied = 0;
                for (Table table : file.tables()) {
                  copied += copy(legacy, target, table);
                }
                return copied;
              });
      try (Statement s = legacy.createStatement()) {
        s.execute("SHUTDOWN");
      }
      Files.move(mvFile, mvFile.resolveSibling(mvFile.getFileName() + ".imported"));
      LOG.info("event=legacy_store_imported file={} rows={}", mvFile, rows);
    } catch (SQLException e) {
      throw new RelationalStore.StoreException(e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot rename imported " + mvFile, e);
    }
  }

  private static boolean allTablesExist(Connection c, LegacyFile file) throws SQLException {
    for (Table table : file.tables()) {
      // H2 reports unquoted names in upper case, PostgreSQL in lower case.
      boolean found = false;
      for (String name : List.of(table.name(), table.name().toUpperCase(Locale.ROOT))) {
        try (ResultSet rs = c.getMetaData().getTables(null, null, name, null)) {
          found |= rs.next();
        }
      }
      if (!found) {
        return false;
      }
    }
    return true;
  }

  /**
   * Copies every row; a self-referencing column is filled in a second pass, so rows may come in any
   * order.
   */
  private static int copy(Connection legacy, Connection target, Table table) throws SQLException {
    List<String> columns = new ArrayList<>();
    List<Object[]> rows = new ArrayList<>();
    try (Statement s = legacy.createStatement();
        ResultSet rs = s.executeQuery("SELECT * FROM " + table.name())) {
      ResultSetMetaData meta = rs.getMetaData();
      for (int i = 1; i <= meta.getColumnCount(); i++) {
        columns.add(meta.getColumnName(i).toLowerCase(Locale.ROOT));
      }
      while (rs.next()) {
        Object[] row = new Object[columns.size()];
        for (int i = 0; i < row.length; i++) {
          Object value = rs.getObject(i + 1);
          row[i] = value instanceof Clob clob ? clob.getSubString(1, (int) clob.length()) : value;
        }
        rows.add(row);
      }
    }
    int selfRef = table.selfReference() == null ? -1 : columns.indexOf(table.selfReference());
    String insert =
        "INSERT INTO "
            + table.name()
            + " ("
            + String.join(", ", columns)
            + ") VALUES ("
            + String.join(", ", columns.stream().map(c -> "?").toList())
            + ")";
    try (PreparedStatement ps = target.prepareStatement(insert)) {
      for (Object[] row : rows) {
        for (int i = 0; i < row.length; i++) {
          ps.setObject(i + 1, i == selfRef ? null : row[i]);
        }
        ps.addBatch();
      }
      ps.executeBatch();
    }
    if (selfRef >= 0) {
      String update =
          "UPDATE " + table.name() + " SET " + columns.get(selfRef) + " = ? WHERE id = ?";
      int idColumn = columns.indexOf("id");
      try (PreparedStatement ps = target.prepareStatement(update)) {
        for (Object[] row : rows) {
          if (row[selfRef] != null) {
            ps.setObject(1, row[selfRef]);
            ps.setObject(2, row[idColumn]);
            ps.addBatch();
          }
        }
        ps.executeBatch();
      }
    }
    return rows.size();
  }
}
