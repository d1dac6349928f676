package vn.lantern.rules.db;

import java.nio.file.Path;
import java.util.List;
import vn.lantern.common.store.DatabaseSettings;
import vn.lantern.common.store.RelationalStore;

/**
 * The rules engine's tables (rules, alerts, dead letters, settings) in the node's one relational
 * store, whose migrations in {@code db/migration} create them. Every method blocks: callers run it
 * on a worker thread, never an event loop.
 */
public final class RulesDatabase implements AutoCloseable {
  private final RelationalStore store;

  private RulesDatabase(RelationalStore store) {
    this.store = store;
  }

  /**
   * The node's store for {@code settings} (the embedded file under {@code dataDir} by default),
   * shared with the other parts of the node that use the same settings.
   */
  public static RulesDatabase open(DatabaseSettings settings, Path dataDir) {
    return new RulesDatabase(RelationalStore.acquire(settings, dataDir));
  }

  /** The node's relational store, for stores of other modules that share it (users). */
  public RelationalStore store() {
    return store;
  }

  /** Maps the current row of a result set. */
  @FunctionalInterface
  public interface RowMapper<T> extends RelationalStore.RowMapper<T> {}

  /** Runs a query with positional parameters. */
  public <T> List<T> query(String sql, List<?> params, RowMapper<T> mapper) {
    return store.query(sql, params, mapper);
  }

  /** Runs an update with positional parameters, durably; returns the number of rows changed. */
  public int update(String sql, List<?> params) {
    return store.update(sql, params);
  }

  /** Inserts or replaces one row by its key (see {@link RelationalStore#upsert}). */
  public boolean upsert(String table, List<String> columns, int keyCount, List<?> values) {
    return store.upsert(table, columns, keyCount, values);
  }

  @Override
  public void close() {
    store.close();
  }
}
