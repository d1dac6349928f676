package vn.lantern.ingest.store;

import io.vertx.core.Vertx;
import java.util.List;
import org.influxdb.InfluxDB;
import org.influxdb.InfluxDBFactory;
import org.influxdb.dto.Query;
import org.influxdb.dto.QueryResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.lantern.common.influx.Downsampling;

/**
 * The database's retention policies and downsampling continuous queries (InfluxDB 1.x), set up at
 * every start so a changed retention takes effect: raw points in {@code autogen} for {@code
 * retention.raw}, and 5-minute and 1-hour mean/min/max of every numeric field of every measurement
 * in {@link Downsampling}'s policies. The continuous queries recompute their last hours ({@code
 * RESAMPLE ... FOR}) so readings a few hours late are included; older backfills are downsampled
 * with {@link #backfillStatements} (docs/operations.md).
 */
public final class InfluxSchema {
  private static final Logger LOG = LoggerFactory.getLogger(InfluxSchema.class);
  private static final long RETRY_MS = 30_000;

  private final String url;
  private final String database;
  private final String username;
  private final String password;
  private final RetentionSettings retention;

  /** The schema of {@code database} on the server at {@code url} (empty username: no auth). */
  public InfluxSchema(
      String url, String database, String username, String password, RetentionSettings retention) {
    this.url = url;
    this.database = database;
    this.username = username;
    this.password = password;
    this.retention = retention;
  }

  /** Applies the schema on a worker thread, retrying every 30 s while InfluxDB is unreachable. */
  public void applyInBackground(Vertx vertx) {
    vertx
        .executeBlocking(
            () -> {
              apply();
              return null;
            },
            false)
        .onFailure(
            e -> {
              LOG.warn(
                  "event=influx_schema_failed database={} retry_in_ms={} error=\"{}\"",
                  database,
                  RETRY_MS,
                  e.getMessage());
              vertx.setTimer(RETRY_MS, id -> applyInBackground(vertx));
            });
  }

  /** Creates or updates the database, retention policies and continuous queries. Blocking. */
  public void apply() {
    InfluxDB client =
        username.isEmpty()
            ? InfluxDBFactory.connect(url)
            : InfluxDBFactory.connect(url, username, password);
    try {
      String db = quote(database);
      run(client, "CREATE DATABASE " + db);
      run(client, "ALTER RETENTION POLICY \"autogen\" ON " + db + " DURATION " + retention.raw());
      policy(client, db, Downsampling.FIVE_MINUTES, retention.fiveMinutes());
      policy(client, db, Downsampling.HOURLY, retention.hourly());
      continuousQuery(client, db, Downsampling.FIVE_MINUTES, "RESAMPLE EVERY 5m FOR 2h");
      continuousQuery(client, db, Downsampling.HOURLY, "RESAMPLE EVERY 1h FOR 6h");
      LOG.info(
          "event=influx_schema_ready database={} raw={} five_minutes={} hourly={}",
          database,
          retention.raw(),
          retention.fiveMinutes(),
          retention.hourly());
    } finally {
      client.close();
    }
  }

  /**
   * The {@code SELECT ... INTO} statements that downsample {@code [from, to)} (RFC 3339 instants)
   * by hand, e.g. after a backfill older than the continuous queries' resample window.
   */
  public List<String> backfillStatements(String from, String to) {
    String db = quote(database);
    String range = " WHERE time >= '" + from + "' AND time < '" + to + "'";
    return List.of(
        downsample(db, Downsampling.FIVE_MINUTES, range),
        downsample(db, Downsampling.HOURLY, range));
  }

  private static void policy(InfluxDB client, String db, Downsampling tier, String duration) {
    String spec = " ON " + db + " DURATION " + duration + " REPLICATION 1";
    String rp = quote(tier.retentionPolicy());
    String error = query(client, "CREATE RETENTION POLICY " + rp + spec);
    if (error != null && error.contains("already exists")) {
      run(client, "ALTER RETENTION POLICY " + rp + spec);
    } else if (error != null) {
      throw new IllegalStateException(error);
    }
  }

  /** Creates the query, replacing one of the same name whose text differs (a changed setting). */
  private static void continuousQuery(
      InfluxDB client, String db, Downsampling tier, String resample) {
    String name = quote(tier.retentionPolicy());
    String create =
        "CREATE CONTINUOUS QUERY "
            + name
            + " ON "
            + db
            + " "
            + resample
            + " BEGIN "
            + downsample(db, tier, "")
            + " END";
    String error = query(client, create);
    if (error != null && error.contains("already exists")) {
      run(client, "DROP CONTINUOUS QUERY " + name + " ON " + db);
      run(client, create);
    } else if (error != null) {
      throw new IllegalStateException(error);
    }
  }

  private static String downsample(String db, Downsampling tier, String where) {
    return "SELECT mean(*), min(*), max(*) INTO "
        + db
        + "."
        + quote(tier.retentionPolicy())
        + ".:MEASUREMENT FROM "
        + db
        + ".\"autogen\"./.*/"
        + where
        + " GROUP BY time("
        + tier.intervalSeconds() / 60
        + "m), *";
  }

  private static void run(InfluxDB client, String statement) {
    String error = query(client, statement);
    if (error != null) {
      throw new IllegalStateException(statement + ": " + error);
    }
  }

  /** Runs a statement and returns its error, or null. */
  private static String query(InfluxDB client, String statement) {
    QueryResult result = client.query(new Query(statement));
    if (result.hasError()) {
      return result.getError();
    }
    if (result.getResults() != null) {
      for (QueryResult.Result r : result.getResults()) {
        if (r.hasError()) {
          return r.getError();
        }
      }
    }
    return null;
  }

  /**
   * Identifiers cannot be bound parameters in InfluxQL; the database name is checked by {@link
   * TelemetryStore}, constructed first, and the policy names are constants.
   */
  private static String quote(String identifier) {
    return "\"" + identifier + "\"";
  }
}
