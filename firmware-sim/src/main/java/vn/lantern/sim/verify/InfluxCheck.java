package vn.lantern.sim.verify;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.influxdb.InfluxDB;
import org.influxdb.InfluxDBFactory;
import org.influxdb.dto.BoundParameterQuery;
import org.influxdb.dto.Query;
import org.influxdb.dto.QueryResult;
import vn.lantern.sim.device.AckLedger;

/**
 * Checks in InfluxDB (v1 HTTP API, {@code /query}) that acknowledged readings were stored: an
 * acknowledgement promises durability, so anything missing is a defect of the node.
 */
public final class InfluxCheck implements AutoCloseable {
  private final InfluxDB influx;
  private final String database;

  public InfluxCheck(String url, String database) {
    this.influx = InfluxDBFactory.connect(url);
    this.database = database;
  }

  /**
   * The acknowledged readings not found, by timestamp per device.
   *
   * @return how many are missing (0 when all are stored)
   */
  public long missing(AckLedger ledger) {
    long missing = 0;
    for (Map.Entry<String, AckLedger.Entry> e : ledger.byDevice().entrySet()) {
      Set<Long> acked = e.getValue().timestamps();
      long from = acked.stream().mapToLong(Long::longValue).min().orElse(0);
      long to = acked.stream().mapToLong(Long::longValue).max().orElse(0);
      // Times are numbers we produced, not input; the device id is a bound parameter.
      Query query =
          BoundParameterQuery.QueryBuilder.newQuery(
                  "SELECT * FROM \""
                      + e.getValue().measurement()
                      + "\" WHERE device = $device AND time >= "
                      + from
                      + "ms AND time <= "
                      + to
                      + "ms")
              .forDatabase(database)
              .bind("device", e.getKey())
              .create();
      Set<Long> stored = new HashSet<>();
      for (List<Object> row : rows(influx.query(query, TimeUnit.MILLISECONDS))) {
        stored.add(((Number) row.get(0)).longValue());
      }
      for (Long ts : acked) {
        if (!stored.contains(ts)) {
          missing++;
        }
      }
    }
    return missing;
  }

  /**
   * Readings stored per device for a load-generator run: {@code count(seq)} where field {@code run}
   * is the run's id, grouped by the {@code device} tag.
   */
  public Map<String, Long> countByDevice(String measurement, long runId, long fromMs) {
    Query query =
        BoundParameterQuery.QueryBuilder.newQuery(
                "SELECT count(seq) FROM \""
                    + measurement
                    + "\" WHERE run = $run AND time >= "
                    + fromMs
                    + "ms GROUP BY device")
            .forDatabase(database)
            .bind("run", (double) runId)
            .create();
    QueryResult result = influx.query(query);
    check(result);
    Map<String, Long> counts = new java.util.HashMap<>();
    for (QueryResult.Result r : result.getResults()) {
      if (r.getSeries() == null) {
        continue;
      }
      for (QueryResult.Series s : r.getSeries()) {
        long n = ((Number) s.getValues().get(0).get(1)).longValue();
        counts.put(s.getTags().get("device"), n);
      }
    }
    return counts;
  }

  private static List<List<Object>> rows(QueryResult result) {
    check(result);
    List<List<Object>> rows = new java.util.ArrayList<>();
    for (QueryResult.Result r : result.getResults()) {
      if (r.getSeries() != null) {
        r.getSeries().forEach(s -> rows.addAll(s.getValues()));
      }
    }
    return rows;
  }

  private static void check(QueryResult result) {
    if (result.hasError()) {
      throw new IllegalStateException("InfluxDB query failed: " + result.getError());
    }
    for (QueryResult.Result r : result.getResults()) {
      if (r.hasError()) {
        throw new IllegalStateException("InfluxDB query failed: " + r.getError());
      }
    }
  }

  @Override
  public void close() {
    influx.close();
  }
}
