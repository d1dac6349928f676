package vn.lantern.rules.db;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcConnectionPool;

/**
 * The rules engine's relational store: its own embedded H2 file ({@code rules}) under the data
 * directory, schema managed by Flyway migrations in {@code db/rules-migration}. Every method
 * blocks: callers run it on a worker thread, never an event loop.
 */
public final class RulesDatabase implements AutoCloseable {
  private final JdbcConnectionPool pool;

  private RulesDatabase(JdbcConnectionPool pool) {
    this.pool = pool;
  }

  /** Opens (creating if needed) the database under {@code dataDir} and migrates it. */
  public static RulesDatabase open(Path dataDir) {
    String url = "jdbc:h2:file:" + dataDir.resolve("rules").toAbsolutePath() + ";DB_CLOSE_DELAY=-1";
    JdbcConnectionPool pool = JdbcConnectionPool.create(url, "lantern", "");
    Flyway.configure()
        .dataSource(pool)
        .locations("classpath:db/rules-migration")
        .table("rules_schema_history")
        .load()
        .migrate();
    return new RulesDatabase(pool);
  }

  /** The pooled connections, for stores of other modules that share this database (users). */
  public DataSource dataSource() {
    return pool;
  }

  /** Maps the current row of a result set. */
  @FunctionalInterface
  public interface RowMapper<T> {
    T map(ResultSet rs) throws SQLException;
  }

  /** Runs a query with positional parameters. */
  public <T> List<T> query(String sql, List<?> params, RowMapper<T> mapper) {
    try (Connection c = pool.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      bind(ps, params);
      List<T> rows = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          rows.add(mapper.map(rs));
        }
      }
      return rows;
    } catch (SQLException e) {
      throw new IllegalStateException("query failed: " + e.getMessage(), e);
    }
  }

  /** Runs an update with positional parameters and returns the number of rows changed. */
  public int update(String sql, List<?> params) {
    try (Connection c = pool.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      bind(ps, params);
      return ps.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException("update failed: " + e.getMessage(), e);
    }
  }

  private static void bind(PreparedStatement ps, List<?> params) throws SQLException {
    for (int i = 0; i < params.size(); i++) {
      ps.setObject(i + 1, params.get(i));
    }
  }

  @Override
  public void close() {
    pool.dispose();
  }
}
