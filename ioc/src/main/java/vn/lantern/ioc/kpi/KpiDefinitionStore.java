package vn.lantern.ioc.kpi;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcConnectionPool;

/**
 * Custom KPI definitions in the relational store: an embedded H2 file ({@code kpis}) under the data
 * directory, schema by Flyway migrations in {@code db/kpi-migration}. Blocking: call from a worker
 * thread.
 */
public final class KpiDefinitionStore implements AutoCloseable {
  private final JdbcConnectionPool pool;

  private KpiDefinitionStore(JdbcConnectionPool pool) {
    this.pool = pool;
  }

  /** Opens (creating and migrating if needed) the store under {@code dataDir}. */
  public static KpiDefinitionStore open(Path dataDir) {
    String url = "jdbc:h2:file:" + dataDir.resolve("kpis").toAbsolutePath() + ";DB_CLOSE_DELAY=-1";
    JdbcConnectionPool pool = JdbcConnectionPool.create(url, "lantern", "");
    Flyway.configure()
        .dataSource(pool)
        .locations("classpath:db/kpi-migration")
        .table("kpi_schema_history")
        .load()
        .migrate();
    return new KpiDefinitionStore(pool);
  }

  /** Every definition, by name. */
  public List<KpiDefinition> all() {
    List<KpiDefinition> list = new ArrayList<>();
    try (Connection c = pool.getConnection();
        PreparedStatement ps =
            c.prepareStatement("SELECT definition FROM kpi_definition ORDER BY id");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        list.add(KpiDefinition.parse(new JsonObject(rs.getString(1))));
      }
      return list;
    } catch (SQLException e) {
      throw new IllegalStateException("kpi definitions query failed: " + e.getMessage(), e);
    }
  }

  /** Creates or replaces a definition; returns whether it was created. */
  public boolean save(KpiDefinition definition) {
    long now = System.currentTimeMillis();
    try (Connection c = pool.getConnection()) {
      try (PreparedStatement update =
          c.prepareStatement(
              "UPDATE kpi_definition SET definition = ?, updated_at = ? WHERE id = ?")) {
        update.setString(1, definition.toJson().encode());
        update.setLong(2, now);
        update.setString(3, definition.name());
        if (update.executeUpdate() > 0) {
          return false;
        }
      }
      try (PreparedStatement insert =
          c.prepareStatement(
              "INSERT INTO kpi_definition (id, definition, created_at, updated_at)"
                  + " VALUES (?, ?, ?, ?)")) {
        insert.setString(1, definition.name());
        insert.setString(2, definition.toJson().encode());
        insert.setLong(3, now);
        insert.setLong(4, now);
        insert.executeUpdate();
        return true;
      }
    } catch (SQLException e) {
      throw new IllegalStateException("kpi definition save failed: " + e.getMessage(), e);
    }
  }

  /** Deletes a definition; returns whether it existed. */
  public boolean delete(String name) {
    try (Connection c = pool.getConnection();
        PreparedStatement ps = c.prepareStatement("DELETE FROM kpi_definition WHERE id = ?")) {
      ps.setString(1, name);
      return ps.executeUpdate() > 0;
    } catch (SQLException e) {
      throw new IllegalStateException("kpi definition delete failed: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    pool.dispose();
  }
}
