package vn.lantern.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.influxdb.InfluxDB;
import org.influxdb.InfluxDBException;
import org.influxdb.InfluxDBFactory;
import org.influxdb.dto.Query;
import org.influxdb.dto.QueryResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A test class's own database on a real InfluxDB 1.x server, injected by {@link InfluxDbExtension}.
 * The database exists before the first test runs and is dropped after the class, so classes never
 * see each other's data; tests within a class share it.
 *
 * <p>Query results are rows: one {@code Map} per point, column name to value, in column order.
 * {@code time} is epoch milliseconds as a {@code Long}; other numbers come back as {@code Double}
 * (influxdb-java decodes all JSON numbers as doubles, so integer fields lose precision above 2^53);
 * strings and booleans keep their types; a field missing in a point is {@code null}.
 */
public final class TestInflux {

  private static final Logger log = LoggerFactory.getLogger(TestInflux.class);

  /** Key of the measurement name in {@link #queryAll} rows. */
  public static final String MEASUREMENT = "_measurement";

  private static final Duration POLL_INTERVAL = Duration.ofMillis(100);

  private final String url;
  private final String database;
  private final InfluxDB client;

  private TestInflux(String url, String database) {
    this.url = url;
    this.database = database;
    this.client = InfluxDBFactory.connect(url).setDatabase(database);
  }

  /** Creates a fresh database named {@code t_<testClass>_<random>} on the server at {@code url}. */
  static TestInflux create(String url, Class<?> testClass) {
    String name = testClass.getSimpleName().replaceAll("[^A-Za-z0-9_]", "_");
    name = name.substring(0, Math.min(name.length(), 40));
    String database =
        "t_" + name + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    TestInflux influx = new TestInflux(url, database);
    try {
      influx.execute("CREATE DATABASE " + quote(database));
    } catch (RuntimeException e) {
      influx.client.close();
      throw e;
    }
    log.info("test database created database={} url={}", database, url);
    return influx;
  }

  /** Base URL of the server's HTTP API, e.g. {@code http://127.0.0.1:41234}. */
  public String url() {
    return url;
  }

  /** Name of this test class's database. */
  public String database() {
    return database;
  }

  /**
   * A connected influxdb-java client whose default database is {@link #database()}, so {@code
   * client().write(point)} lands there. Shared by the class's tests; the harness closes it.
   */
  public InfluxDB client() {
    return client;
  }

  /**
   * Runs InfluxQL against {@link #database()} and returns the rows of the first series (empty if
   * there is none). Without {@code GROUP BY} a SELECT yields a single series, tags included as
   * columns; use {@link #queryAll} for grouped results.
   *
   * @throws IllegalStateException if the server rejects the query (message includes query and
   *     database)
   */
  public List<Map<String, Object>> query(String influxQl) {
    for (QueryResult.Result result : execute(influxQl).getResults()) {
      if (result.getSeries() != null && !result.getSeries().isEmpty()) {
        return rows(result.getSeries().get(0), false);
      }
    }
    return List.of();
  }

  /**
   * Like {@link #query} but returns the rows of every series of every statement; each row also
   * holds the series' measurement under {@value #MEASUREMENT} and its {@code GROUP BY} tags.
   */
  public List<Map<String, Object>> queryAll(String influxQl) {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (QueryResult.Result result : execute(influxQl).getResults()) {
      if (result.getSeries() != null) {
        result.getSeries().forEach(series -> rows.addAll(rows(series, true)));
      }
    }
    return Collections.unmodifiableList(rows);
  }

  /** Number of points in {@code measurement} (all series, default retention policy). */
  public long count(String measurement) {
    // Not COUNT(*): that counts per field, which undercounts points that lack some field.
    return query("SELECT * FROM " + quote(measurement)).size();
  }

  /**
   * Polls {@link #query} every 100 ms until it returns at least {@code n} rows and returns them.
   * Meant for asynchronous writers (batching, retries) where data shows up eventually.
   *
   * @throws AssertionError on timeout, with the last result
   */
  public List<Map<String, Object>> awaitRows(String influxQl, int n, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      List<Map<String, Object>> rows = query(influxQl);
      if (rows.size() >= n) {
        return rows;
      }
      if (System.nanoTime() - deadline >= 0) {
        throw new AssertionError(
            String.format(
                Locale.ROOT,
                "expected at least %d rows within %s from [%s] on database %s, last result had"
                    + " %d: %s",
                n,
                timeout,
                influxQl,
                database,
                rows.size(),
                rows));
      }
      try {
        Thread.sleep(POLL_INTERVAL.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting for rows from [" + influxQl + "]", e);
      }
    }
  }

  @Override
  public String toString() {
    return "TestInflux[" + url + ", database=" + database + "]";
  }

  /** Drops the database and closes the client; called by the extension after the test class. */
  void dropAndClose() {
    try {
      execute("DROP DATABASE " + quote(database));
      log.info("test database dropped database={}", database);
    } catch (RuntimeException e) {
      // The server may be gone already (e.g. stopped by a shutdown hook); nothing to clean then.
      log.warn("test database not dropped database={} error={}", database, e.toString());
    } finally {
      client.close();
    }
  }

  private QueryResult execute(String influxQl) {
    // POST: InfluxDB 1.x only accepts CREATE/DROP/SELECT INTO over GET with a deprecation warning
    // (1.6.7) and may refuse it in later releases; epoch=ms so "time"
    // comes back as a number instead of an RFC3339 string.
    QueryResult result;
    try {
      result = client.query(new Query(influxQl, database, true), TimeUnit.MILLISECONDS);
    } catch (InfluxDBException e) {
      // Parse errors come back as HTTP 400, statement errors (below) inside an HTTP 200 body.
      throw new IllegalStateException(
          "InfluxQL failed: " + e.getMessage() + " query=[" + influxQl + "] database=" + database,
          e);
    }
    String error = result.getError();
    if (error == null && result.getResults() != null) {
      error =
          result.getResults().stream()
              .map(QueryResult.Result::getError)
              .filter(e -> e != null)
              .findFirst()
              .orElse(null);
    }
    if (error != null) {
      throw new IllegalStateException(
          "InfluxQL failed: " + error + " query=[" + influxQl + "] database=" + database);
    }
    return result;
  }

  private static List<Map<String, Object>> rows(QueryResult.Series series, boolean withSeriesKey) {
    List<Map<String, Object>> rows = new ArrayList<>();
    if (series.getValues() == null) {
      return rows;
    }
    for (List<Object> values : series.getValues()) {
      Map<String, Object> row = new LinkedHashMap<>();
      if (withSeriesKey) {
        row.put(MEASUREMENT, series.getName());
        if (series.getTags() != null) {
          row.putAll(series.getTags());
        }
      }
      for (int i = 0; i < series.getColumns().size(); i++) {
        String column = series.getColumns().get(i);
        Object value = values.get(i);
        if (column.equals("time") && value instanceof Number number) {
          value = number.longValue();
        }
        row.put(column, value);
      }
      rows.add(Collections.unmodifiableMap(row));
    }
    return rows;
  }

  static String quote(String identifier) {
    return "\"" + identifier.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
