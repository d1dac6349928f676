package vn.lantern.gateway.store;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's durable store-and-forward queue: every collected reading is appended here before
 * anything acknowledges it, and deleted only once the ingest node acknowledged it.
 *
 * <p>Why SQLite: it is the most widely deployed embedded database, its transactions are atomic and
 * durable across process crashes and power loss (tested by its authors at a depth no home-made file
 * format reaches), and it needs no server. The queue runs in WAL mode with {@code
 * synchronous=FULL}: a commit returns only after the write-ahead log is fsynced, so a reading that
 * was acknowledged to a sensor or counted as collected survives {@code kill -9} and a power cut. A
 * power cut can lose only readings whose append had not returned yet, which nobody was told about.
 * (H2's MVStore, used by the ingest registry, writes in the background and does not promise
 * durability on power loss; Paho's file persistence keeps only in-flight messages, not hours of
 * backlog.)
 *
 * <p>Bounded: beyond {@code maxBytes} of used database pages, or {@code maxRows} readings, the
 * oldest readings are dropped, counted in {@code gateway_queue_dropped_total} and logged. Freed
 * pages are reused, so the file does not grow past the bound.
 *
 * <p>Readings the ingest node refuses for good (MQTT 5 reason codes such as 0x87 or 0x99) move to a
 * {@code rejected} table instead of blocking the queue or disappearing. That table lives in a file
 * of its own ({@code rejected.db}, attached to the same connection) with its own row bound, so a
 * sensor sending bad values for weeks can never push good readings out of the queue: beyond {@code
 * maxRejectedRows} the oldest refusals are dropped and counted in {@code
 * gateway_queue_rejected_dropped_total}.
 *
 * <p>Thread-safe: one connection, every operation synchronized (SQLite serializes writers anyway).
 */
public final class ReadingQueue implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ReadingQueue.class);

  private final Connection db;
  private final long maxBytes;
  private final long maxRows;
  private final long maxRejectedRows;
  private final long pageSize;
  private final Counter dropped;
  private final Counter appended;
  private final Counter rejectedCounter;
  private final Counter rejectedDropped;
  private long depth;
  private volatile long rejectedRows;
  private volatile long depthSnapshot;
  private volatile long oldestTimestampMs = -1;
  private volatile long usedBytes;

  private ReadingQueue(
      Connection db, long maxBytes, long maxRows, long maxRejectedRows, MeterRegistry metrics)
      throws SQLException {
    this.db = db;
    this.maxBytes = maxBytes;
    this.maxRows = maxRows;
    this.maxRejectedRows = maxRejectedRows;
    this.pageSize = pragma("main.page_size");
    this.dropped =
        Counter.builder("gateway_queue_dropped")
            .description("Readings dropped because the queue reached its bound (oldest first)")
            .register(metrics);
    this.appended =
        Counter.builder("gateway_queue_appended")
            .description("Readings written to the durable queue")
            .register(metrics);
    this.rejectedCounter =
        Counter.builder("gateway_queue_rejected")
            .description("Readings the ingest node refused for good, kept in the rejected table")
            .register(metrics);
    this.rejectedDropped =
        Counter.builder("gateway_queue_rejected_dropped")
            .description("Refused readings dropped from the rejected table at its row bound")
            .register(metrics);
    Gauge.builder("gateway_queue_rejected_rows", () -> rejectedRows)
        .description("Refused readings kept in the rejected table")
        .register(metrics);
    Gauge.builder("gateway_queue_depth", () -> depthSnapshot)
        .description("Readings waiting to be acknowledged by the ingest node")
        .register(metrics);
    Gauge.builder("gateway_queue_bytes", () -> usedBytes)
        .description("Database pages in use by the queue, in bytes")
        .baseUnit("bytes")
        .register(metrics);
    Gauge.builder(
            "gateway_queue_oldest_unsent_age_seconds",
            () -> {
              long oldest = oldestTimestampMs;
              return oldest < 0 ? 0 : Math.max(0, System.currentTimeMillis() - oldest) / 1000.0;
            })
        .description("Age of the oldest reading not yet acknowledged upstream")
        .baseUnit("seconds")
        .register(metrics);
    try (Statement st = db.createStatement();
        ResultSet rs = st.executeQuery("SELECT count(*) FROM readings")) {
      rs.next();
      depth = rs.getLong(1);
    }
    try (Statement st = db.createStatement();
        ResultSet rs = st.executeQuery("SELECT count(*) FROM rj.rejected")) {
      rs.next();
      rejectedRows = rs.getLong(1);
    }
    refreshState();
  }

  /**
   * Opens (or creates) the queue in {@code dir}/queue.db, keeping at most 10,000 refused readings.
   *
   * @param maxBytes bound on used database bytes
   * @param maxRows bound on readings, 0 for none
   */
  public static ReadingQueue open(Path dir, long maxBytes, long maxRows, MeterRegistry metrics) {
    return open(dir, maxBytes, maxRows, 10_000, metrics);
  }

  /**
   * Opens (or creates) the queue in {@code dir}/queue.db and its refused readings in {@code
   * dir}/rejected.db.
   *
   * @param maxBytes bound on used bytes of queue.db
   * @param maxRows bound on readings, 0 for none
   * @param maxRejectedRows bound on refused readings kept
   */
  public static ReadingQueue open(
      Path dir, long maxBytes, long maxRows, long maxRejectedRows, MeterRegistry metrics) {
    if (maxRejectedRows < 1) {
      throw new IllegalArgumentException("maxRejectedRows must be positive");
    }
    try {
      Files.createDirectories(dir);
      Connection db =
          DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("queue.db").toAbsolutePath());
      try (Statement st = db.createStatement()) {
        st.execute("PRAGMA journal_mode=WAL");
        st.execute("PRAGMA synchronous=FULL");
        st.execute("PRAGMA busy_timeout=5000");
        st.execute(
            "CREATE TABLE IF NOT EXISTS readings (seq INTEGER PRIMARY KEY AUTOINCREMENT,"
                + " device TEXT NOT NULL, metric TEXT NOT NULL, value REAL NOT NULL, unit TEXT,"
                + " ts INTEGER NOT NULL)");
        st.execute(
            "ATTACH DATABASE '"
                + dir.resolve("rejected.db").toAbsolutePath().toString().replace("'", "''")
                + "' AS rj");
        st.execute("PRAGMA rj.journal_mode=WAL");
        st.execute("PRAGMA rj.synchronous=FULL");
        st.execute(
            "CREATE TABLE IF NOT EXISTS rj.rejected (seq INTEGER PRIMARY KEY, device TEXT NOT"
                + " NULL, metric TEXT NOT NULL, value REAL NOT NULL, unit TEXT, ts INTEGER NOT"
                + " NULL, reason INTEGER NOT NULL, rejected_at INTEGER NOT NULL)");
        moveRejectedOutOfMain(st);
      }
      db.setAutoCommit(false);
      ReadingQueue queue = new ReadingQueue(db, maxBytes, maxRows, maxRejectedRows, metrics);
      LOG.info(
          "event=queue_opened dir={} depth={} max_bytes={} max_rows={}",
          dir,
          queue.depth,
          maxBytes,
          maxRows);
      return queue;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create queue directory " + dir, e);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot open queue in " + dir + ": " + e.getMessage(), e);
    }
  }

  /** Queues of earlier versions kept refused readings in queue.db, inside its byte bound. */
  private static void moveRejectedOutOfMain(Statement st) throws SQLException {
    try (ResultSet rs =
        st.executeQuery(
            "SELECT count(*) FROM main.sqlite_master WHERE type = 'table' AND name = 'rejected'")) {
      rs.next();
      if (rs.getLong(1) == 0) {
        return;
      }
    }
    st.execute("INSERT OR IGNORE INTO rj.rejected SELECT * FROM main.rejected");
    st.execute("DROP TABLE main.rejected");
  }

  /**
   * Appends readings in one durable transaction; when it returns they are on disk. Enforces the
   * bound afterwards by dropping the oldest readings.
   */
  public synchronized void append(List<NewReading> readings) {
    if (readings.isEmpty()) {
      return;
    }
    try (PreparedStatement insert =
        db.prepareStatement(
            "INSERT INTO readings (device, metric, value, unit, ts) VALUES (?, ?, ?, ?, ?)")) {
      for (NewReading r : readings) {
        insert.setString(1, r.device());
        insert.setString(2, r.metric());
        insert.setDouble(3, r.value());
        insert.setString(4, r.unit());
        insert.setLong(5, r.timestampMs());
        insert.addBatch();
      }
      insert.executeBatch();
      db.commit();
      depth += readings.size();
      appended.increment(readings.size());
      enforceBound();
      refreshState();
    } catch (SQLException e) {
      rollbackQuietly();
      throw new IllegalStateException("queue append failed: " + e.getMessage(), e);
    }
  }

  /** Up to {@code limit} readings with a position after {@code afterSeq}, oldest first. */
  public synchronized List<QueuedReading> peek(long afterSeq, int limit) {
    try (PreparedStatement q =
        db.prepareStatement(
            "SELECT seq, device, metric, value, unit, ts FROM readings WHERE seq > ?"
                + " ORDER BY seq LIMIT ?")) {
      q.setLong(1, afterSeq);
      q.setInt(2, limit);
      List<QueuedReading> out = new ArrayList<>();
      try (ResultSet rs = q.executeQuery()) {
        while (rs.next()) {
          out.add(
              new QueuedReading(
                  rs.getLong(1),
                  rs.getString(2),
                  rs.getString(3),
                  rs.getDouble(4),
                  rs.getString(5),
                  rs.getLong(6)));
        }
      }
      db.commit();
      return out;
    } catch (SQLException e) {
      rollbackQuietly();
      throw new IllegalStateException("queue read failed: " + e.getMessage(), e);
    }
  }

  /**
   * Deletes readings the ingest node acknowledged. Unknown positions (dropped meanwhile) are ok.
   */
  public synchronized void delete(Collection<QueuedReading> acknowledged) {
    try (PreparedStatement delete = db.prepareStatement("DELETE FROM readings WHERE seq = ?")) {
      for (QueuedReading r : acknowledged) {
        delete.setLong(1, r.seq());
        delete.addBatch();
      }
      depth -= removed(delete.executeBatch());
      db.commit();
      refreshState();
    } catch (SQLException e) {
      rollbackQuietly();
      throw new IllegalStateException("queue delete failed: " + e.getMessage(), e);
    }
  }

  /** Moves readings the ingest node refused for good to the {@code rejected} table. */
  public synchronized void reject(Collection<QueuedReading> refused, int reasonCode) {
    try (PreparedStatement copy =
            db.prepareStatement(
                "INSERT OR IGNORE INTO rj.rejected (seq, device, metric, value, unit, ts, reason,"
                    + " rejected_at) SELECT seq, device, metric, value, unit, ts, ?, ? FROM"
                    + " readings WHERE seq = ?");
        PreparedStatement delete = db.prepareStatement("DELETE FROM readings WHERE seq = ?")) {
      long now = System.currentTimeMillis();
      for (QueuedReading r : refused) {
        copy.setInt(1, reasonCode);
        copy.setLong(2, now);
        copy.setLong(3, r.seq());
        copy.addBatch();
        delete.setLong(1, r.seq());
        delete.addBatch();
      }
      long copied = removed(copy.executeBatch());
      long n = removed(delete.executeBatch());
      long pruned = pruneRejected(rejectedRows + copied);
      db.commit();
      depth -= n;
      rejectedRows += copied - pruned;
      rejectedCounter.increment(n);
      rejectedDropped.increment(pruned);
      refreshState();
    } catch (SQLException e) {
      rollbackQuietly();
      throw new IllegalStateException("queue reject failed: " + e.getMessage(), e);
    }
  }

  /** Readings waiting to be acknowledged. */
  public long depth() {
    return depthSnapshot;
  }

  /** Timestamp of the oldest waiting reading, or -1 when the queue is empty. */
  public long oldestTimestampMs() {
    return oldestTimestampMs;
  }

  /** Readings dropped by the bound since start. */
  public long droppedCount() {
    return (long) dropped.count();
  }

  private void enforceBound() throws SQLException {
    while (depth > 0 && overBound()) {
      long excessRows = maxRows > 0 ? Math.max(0, depth - maxRows) : 0;
      // Over the byte bound: drop 1% at a time (at least 100) so page reuse can catch up.
      long chunk = excessRows > 0 ? excessRows : Math.max(100, depth / 100);
      long n;
      try (PreparedStatement delete =
          db.prepareStatement(
              "DELETE FROM readings WHERE seq IN (SELECT seq FROM readings ORDER BY seq LIMIT ?)")) {
        delete.setLong(1, chunk);
        n = delete.executeUpdate();
      }
      db.commit();
      depth -= n;
      dropped.increment(n);
      LOG.warn(
          "event=queue_full_dropped_oldest dropped={} depth={} used_bytes={} max_bytes={}"
              + " max_rows={}",
          n,
          depth,
          usedBytesNow(),
          maxBytes,
          maxRows);
      if (n == 0) {
        break;
      }
    }
  }

  /** Drops the oldest refusals beyond the row bound; returns how many. */
  private long pruneRejected(long rows) throws SQLException {
    long excess = rows - maxRejectedRows;
    if (excess <= 0) {
      return 0;
    }
    try (PreparedStatement delete =
        db.prepareStatement(
            "DELETE FROM rj.rejected WHERE seq IN (SELECT seq FROM rj.rejected ORDER BY seq"
                + " LIMIT ?)")) {
      delete.setLong(1, excess);
      long n = delete.executeUpdate();
      LOG.warn(
          "event=rejected_full_dropped_oldest dropped={} max_rejected_rows={}", n, maxRejectedRows);
      return n;
    }
  }

  private boolean overBound() throws SQLException {
    return (maxRows > 0 && depth > maxRows) || usedBytesNow() > maxBytes;
  }

  private long usedBytesNow() throws SQLException {
    return (pragma("main.page_count") - pragma("main.freelist_count")) * pageSize;
  }

  private void refreshState() throws SQLException {
    depthSnapshot = depth;
    usedBytes = usedBytesNow();
    try (Statement st = db.createStatement();
        ResultSet rs = st.executeQuery("SELECT ts FROM readings ORDER BY seq LIMIT 1")) {
      oldestTimestampMs = rs.next() ? rs.getLong(1) : -1;
    }
    db.commit();
  }

  private long pragma(String name) throws SQLException {
    try (Statement st = db.createStatement();
        ResultSet rs = st.executeQuery("PRAGMA " + name)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static long removed(int[] counts) {
    long n = 0;
    for (int c : counts) {
      n += Math.max(c, 0);
    }
    return n;
  }

  private void rollbackQuietly() {
    try {
      db.rollback();
    } catch (SQLException e) {
      LOG.warn("event=queue_rollback_failed error=\"{}\"", e.getMessage());
    }
  }

  @Override
  public synchronized void close() {
    try {
      db.close();
    } catch (SQLException e) {
      LOG.warn("event=queue_close_failed error=\"{}\"", e.getMessage());
    }
  }
}
