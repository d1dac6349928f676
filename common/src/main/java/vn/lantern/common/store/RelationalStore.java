package vn.lantern.common.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's one relational store: every table (registry, users, rules, alerts, KPI definitions,
 * audit) behind one HikariCP pool, its schema managed by one Flyway history from the migrations in
 * {@code db/migration} of every module on the classpath. The embedded H2 file {@code lantern} in
 * the data directory by default, PostgreSQL when {@link DatabaseSettings#url()} names one.
 *
 * <p>A committed change is on disk when a method returns: H2 writes each commit at once ({@code
 * WRITE_DELAY=0}) and is synced after every write transaction ({@code CHECKPOINT SYNC}), since H2
 * never forces its file on commit by itself; PostgreSQL syncs its WAL on commit. Every method
 * blocks: call it from a worker thread, never an event loop.
 */
public final class RelationalStore implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RelationalStore.class);

  /** Base name of the embedded H2 file in the data directory ({@code lantern.mv.db}). */
  public static final String EMBEDDED_FILE = "lantern";

  // Stores opened with acquire(), by JDBC URL: the parts of one node (ingest, rules, KPIs) share
  // one pool and one migration run instead of each opening its own.
  private static final Map<String, RelationalStore> SHARED = new HashMap<>();

  private final HikariDataSource pool;
  private final boolean h2;
  private String sharedKey;
  private int references = 1;

  private RelationalStore(HikariDataSource pool, boolean h2) {
    this.pool = pool;
    this.h2 = h2;
  }

  /**
   * The node's store for these settings: opened (and migrated) by the first caller, shared with
   * later callers in the same process until each has closed it.
   */
  public static RelationalStore acquire(DatabaseSettings settings, Path dataDir) {
    String key = settings.embedded() ? embeddedUrl(dataDir) : settings.url();
    synchronized (SHARED) {
      RelationalStore store = SHARED.get(key);
      if (store != null) {
        store.references++;
        return store;
      }
      store = open(settings, dataDir);
      store.sharedKey = key;
      SHARED.put(key, store);
      return store;
    }
  }

  /**
   * Opens the store, migrates its schema and, for the embedded file, imports the separate H2 files
   * older versions kept in {@code dataDir}.
   */
  public static RelationalStore open(DatabaseSettings settings, Path dataDir) {
    HikariConfig config = new HikariConfig();
    config.setPoolName("lantern-db");
    config.setMaximumPoolSize(settings.maxPoolSize());
    config.setMinimumIdle(1);
    if (settings.embedded()) {
      config.setJdbcUrl(embeddedUrl(dataDir));
      config.setUsername("lantern");
      config.setPassword("");
    } else {
      config.setJdbcUrl(settings.url());
      config.setUsername(settings.user());
      config.setPassword(settings.password());
    }
    HikariDataSource pool = new HikariDataSource(config);
    try {
      RelationalStore store = new RelationalStore(pool, config.getJdbcUrl().startsWith("jdbc:h2:"));
      Flyway.configure().dataSource(pool).locations("classpath:db/migration").load().migrate();
      if (settings.embedded()) {
        new LegacyH2Import(store, dataDir).run();
      }
      LOG.info(
          "event=relational_store_opened engine={} pool={}",
          store.h2 ? "h2" : "postgresql",
          settings.maxPoolSize());
      return store;
    } catch (RuntimeException e) {
      pool.close();
      throw e;
    }
  }

  /** The JDBC URL of the embedded file under {@code dataDir}. */
  public static String embeddedUrl(Path dataDir) {
    return "jdbc:h2:file:" + dataDir.resolve(EMBEDDED_FILE).toAbsolutePath() + ";WRITE_DELAY=0";
  }

  /** True for the embedded H2 file, false for PostgreSQL. */
  public boolean embedded() {
    return h2;
  }

  /** The pool, for what the helpers below don't cover (e.g. PostgreSQL LISTEN). */
  public DataSource dataSource() {
    return pool;
  }

  /** Work done on one connection inside one transaction. */
  @FunctionalInterface
  public interface Transaction<T> {
    T run(Connection c) throws SQLException;
  }

  /** Maps the current row of a result set. */
  @FunctionalInterface
  public interface RowMapper<T> {
    T map(ResultSet rs) throws SQLException;
  }

  /** Runs {@code work} in a transaction; it is committed and on disk when this returns. */
  public <T> T inTransaction(Transaction<T> work) {
    try (Connection c = pool.getConnection()) {
      c.setAutoCommit(false);
      T result;
      try {
        result = work.run(c);
        c.commit();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(true);
      }
      syncEmbedded(c);
      return result;
    } catch (SQLException e) {
      throw new StoreException(e);
    }
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
      throw new StoreException(e);
    }
  }

  /** Runs one update with positional parameters, durably; returns the number of rows changed. */
  public int update(String sql, List<?> params) {
    return inTransaction(
        c -> {
          try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, params);
            return ps.executeUpdate();
          }
        });
  }

  /**
   * Inserts or replaces one row, the same on H2 and PostgreSQL (their MERGE dialects differ): an
   * UPDATE by key, then an INSERT if no row matched, in one durable transaction.
   *
   * @param columns the columns, key columns first
   * @param keyCount how many of the first columns form the key
   * @param values one value per column
   * @return true when the row was inserted
   */
  public boolean upsert(String table, List<String> columns, int keyCount, List<?> values) {
    List<String> keys = columns.subList(0, keyCount);
    List<String> rest = columns.subList(keyCount, columns.size());
    String update =
        "UPDATE "
            + table
            + " SET "
            + String.join(", ", rest.stream().map(c -> c + " = ?").toList())
            + " WHERE "
            + String.join(" AND ", keys.stream().map(c -> c + " = ?").toList());
    List<Object> updateValues = new ArrayList<>(values.subList(keyCount, values.size()));
    updateValues.addAll(values.subList(0, keyCount));
    String insert =
        "INSERT INTO "
            + table
            + " ("
            + String.join(", ", columns)
            + ") VALUES ("
            + String.join(", ", columns.stream().map(c -> "?").toList())
            + ")";
    return inTransaction(
        c -> {
          try (PreparedStatement ps = c.prepareStatement(update)) {
            bind(ps, updateValues);
            if (ps.executeUpdate() > 0) {
              return false;
            }
          }
          try (PreparedStatement ps = c.prepareStatement(insert)) {
            bind(ps, values);
            ps.executeUpdate();
            return true;
          }
        });
  }

  /** Binds positional parameters; {@code null} elements bind SQL NULL. */
  public static void bind(PreparedStatement ps, List<?> params) throws SQLException {
    for (int i = 0; i < params.size(); i++) {
      ps.setObject(i + 1, params.get(i));
    }
  }

  private void syncEmbedded(Connection c) throws SQLException {
    if (h2) {
      try (Statement s = c.createStatement()) {
        s.execute("CHECKPOINT SYNC");
      }
    }
  }

  /**
   * Closes the pool once every user of a shared store has closed it; the embedded file is shut down
   * first, so it is closed cleanly (and its lock released) even though the JVM goes on.
   */
  @Override
  public void close() {
    synchronized (SHARED) {
      if (--references > 0) {
        return;
      }
      if (sharedKey != null) {
        SHARED.remove(sharedKey);
      }
    }
    try {
      if (h2) {
        try (Connection c = pool.getConnection();
            Statement s = c.createStatement()) {
          s.execute("SHUTDOWN");
        } catch (SQLException e) {
          LOG.warn("event=relational_store_shutdown_failed error={}", e.getMessage());
        }
      }
    } finally {
      pool.close();
    }
  }

  /** A failure of the relational store itself (not of the caller's input). */
  public static final class StoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StoreException(SQLException cause) {
      super(cause.getMessage(), cause);
    }
  }
}
