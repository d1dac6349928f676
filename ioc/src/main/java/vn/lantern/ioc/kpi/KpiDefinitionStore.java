package vn.lantern.ioc.kpi;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import vn.lantern.common.store.DatabaseSettings;
import vn.lantern.common.store.RelationalStore;
import vn.lantern.common.store.RowRewriter;
import vn.lantern.common.store.ZoneReferences;

/**
 * Custom KPI definitions (table {@code kpi_definition}) in the node's one relational store.
 * Blocking: call from a worker thread.
 */
public final class KpiDefinitionStore implements AutoCloseable {
  private final RelationalStore store;

  private KpiDefinitionStore(RelationalStore store) {
    this.store = store;
  }

  /**
   * The definitions in the node's store for {@code settings} (the embedded file under {@code
   * dataDir} by default), shared with the other parts of the node.
   */
  public static KpiDefinitionStore open(DatabaseSettings settings, Path dataDir) {
    return new KpiDefinitionStore(RelationalStore.acquire(settings, dataDir));
  }

  /** Every definition, by name. */
  public List<KpiDefinition> all() {
    return store.query(
        "SELECT definition FROM kpi_definition ORDER BY id",
        List.of(),
        rs -> KpiDefinition.parse(new JsonObject(rs.getString(1))));
  }

  /** Creates or replaces a definition, durably; returns whether it was created. */
  public boolean save(KpiDefinition definition) {
    long now = System.currentTimeMillis();
    String json = definition.toJson().encode();
    return store.inTransaction(
        c -> {
          try (var update =
              c.prepareStatement(
                  "UPDATE kpi_definition SET definition = ?, updated_at = ? WHERE id = ?")) {
            RelationalStore.bind(update, List.of(json, now, definition.name()));
            if (update.executeUpdate() > 0) {
              return false;
            }
          }
          try (var insert =
              c.prepareStatement(
                  "INSERT INTO kpi_definition (id, definition, created_at, updated_at)"
                      + " VALUES (?, ?, ?, ?)")) {
            RelationalStore.bind(insert, List.of(definition.name(), json, now, now));
            insert.executeUpdate();
            return true;
          }
        });
  }

  /**
   * The definitions' zone references: a definition limited to a merged-away zone is limited to the
   * surviving one, and {@code engine} computes it there from then on.
   */
  public ZoneReferences zoneReferences(KpiEngine engine) {
    return new ZoneReferences() {
      @Override
      public void move(Connection c, String from, String into) throws SQLException {
        moveZone(c, from, into);
      }

      @Override
      public Future<Void> moved(String from, String into) {
        all().forEach(engine::define);
        return Future.succeededFuture();
      }
    };
  }

  /**
   * Limits the definitions limited to zone {@code from} to {@code into} instead, within the
   * caller's transaction (a zone merge).
   */
  public static void moveZone(Connection c, String from, String into) throws SQLException {
    RowRewriter.rewrite(
        c,
        "SELECT id, definition FROM kpi_definition",
        List.of(),
        "UPDATE kpi_definition SET definition = ?, updated_at = ? WHERE id = ?",
        row -> {
          JsonObject json = new JsonObject(row.getString(2));
          JsonObject scope = json.getJsonObject("scope");
          if (scope == null || !from.equals(scope.getValue("zone"))) {
            return null;
          }
          scope.put("zone", into);
          return List.of(json.encode(), System.currentTimeMillis());
        });
  }

  /** Deletes a definition, durably; returns whether it existed. */
  public boolean delete(String name) {
    return store.update("DELETE FROM kpi_definition WHERE id = ?", List.of(name)) > 0;
  }

  @Override
  public void close() {
    store.close();
  }
}
