package vn.lantern.ioc.kpi;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.influxdb.InfluxDB;
import org.influxdb.dto.BoundParameterQuery;
import org.influxdb.dto.Point;
import org.influxdb.dto.QueryResult;
import vn.lantern.common.influx.Downsampling;
import vn.lantern.common.influx.PointBatcher;
import vn.lantern.common.telemetry.MetricName;
import vn.lantern.common.telemetry.Reading;

/**
 * KPIs in InfluxDB (measurement {@code kpi}, tags {@code zone}, {@code site} (absent at zone
 * level), {@code kpi}; field {@code value}, and an AQI's {@code dominant}, a daily AQI's {@code
 * hours} and {@code provisional}), and the stored readings the engine rebuilds from after a
 * restart. Values are bound parameters; identifiers are validated names quoted as identifiers.
 * Blocking: call from a worker thread.
 */
public final class KpiStore {
  static final String MEASUREMENT = "kpi";

  private final InfluxDB influx;
  private final String database;
  private final PointBatcher writes;

  /**
   * @param influx reads
   * @param writes the batching writer of KPI values, which retries while InfluxDB is down
   */
  public KpiStore(InfluxDB influx, String database, PointBatcher writes) {
    this.influx = influx;
    this.database = database;
    this.writes = writes;
  }

  /** Queues KPI values for writing; never blocks. */
  public void write(Collection<KpiValue> values) {
    List<Point> batch = new ArrayList<>(values.size());
    for (KpiValue v : values) {
      Point.Builder point =
          Point.measurement(MEASUREMENT)
              .time(v.ts(), TimeUnit.MILLISECONDS)
              .tag("zone", v.zone())
              .tag("kpi", v.kpi())
              .addField("value", v.value());
      if (v.site() != null) {
        point.tag("site", v.site());
      }
      if (v.attributes().get("dominant") instanceof String dominant) {
        point.addField("dominant", dominant);
      }
      if (v.attributes().get(AirQualityKpis.HOURS) instanceof Integer hours
          && v.attributes().get(AirQualityKpis.PROVISIONAL) instanceof Boolean provisional) {
        point.addField(AirQualityKpis.HOURS, hours.longValue());
        point.addField(AirQualityKpis.PROVISIONAL, provisional);
      }
      batch.add(point.build());
    }
    writes.offer(batch);
  }

  /** The latest stored value of each (zone, site, kpi) since {@code fromMs}. */
  public List<KpiValue> latest(long fromMs) {
    QueryResult result =
        query(
            BoundParameterQuery.QueryBuilder.newQuery(
                    "SELECT * FROM \"kpi\" WHERE time >= $from"
                        + " GROUP BY \"zone\", \"site\", \"kpi\" ORDER BY time DESC LIMIT 1")
                .forDatabase(database)
                .bind("from", Instant.ofEpochMilli(fromMs).toString())
                .create());
    List<KpiValue> values = new ArrayList<>();
    for (QueryResult.Series series : series(result)) {
      Map<String, String> tags = series.getTags();
      List<String> columns = series.getColumns();
      for (List<Object> row : series.getValues()) {
        Map<String, Object> fields = new HashMap<>();
        for (int i = 0; i < columns.size(); i++) {
          fields.put(columns.get(i), row.get(i));
        }
        if (!(fields.get("value") instanceof Number value)) {
          continue;
        }
        String site = tags.getOrDefault("site", "");
        long ts = ((Number) fields.get("time")).longValue();
        String kpi = tags.get("kpi");
        String zone = tags.get("zone");
        if ((KpiNames.AQI.equals(kpi) || KpiNames.AQI_DAILY.equals(kpi))
            && fields.get("dominant") instanceof String dominant) {
          int aqi = (int) Math.round(value.doubleValue());
          values.add(
              new KpiValue(
                  zone,
                  site.isEmpty() ? null : site,
                  kpi,
                  aqi,
                  ts,
                  fields.get(AirQualityKpis.HOURS) instanceof Number hours
                          && fields.get(AirQualityKpis.PROVISIONAL) instanceof Boolean provisional
                      ? AirQualityKpis.dailyAttributes(aqi, dominant, hours.intValue(), provisional)
                      : AirQualityKpis.attributes(aqi, dominant)));
        } else {
          values.add(KpiValue.of(zone, site.isEmpty() ? null : site, kpi, value.doubleValue(), ts));
        }
      }
    }
    return values;
  }

  /** A stored reading of a device, for rebuilding the engine's series. */
  public record StoredReading(String device, Reading reading) {}

  /** The readings of the given device types since {@code fromMs}, oldest first per device. */
  public List<StoredReading> readings(Collection<String> types, long fromMs, int maxPerDevice) {
    List<String> valid = types.stream().filter(MetricName::isWellFormed).sorted().toList();
    if (valid.isEmpty()) {
      return List.of();
    }
    String from = valid.stream().map(KpiStore::quote).collect(Collectors.joining(", "));
    QueryResult result =
        query(
            BoundParameterQuery.QueryBuilder.newQuery(
                    "SELECT * FROM "
                        + from
                        + " WHERE time >= $from GROUP BY \"device\" LIMIT "
                        + maxPerDevice)
                .forDatabase(database)
                .bind("from", Instant.ofEpochMilli(fromMs).toString())
                .create());
    List<StoredReading> readings = new ArrayList<>();
    for (QueryResult.Series series : series(result)) {
      String device = series.getTags() == null ? null : series.getTags().get("device");
      if (device == null || device.isEmpty()) {
        continue;
      }
      List<String> columns = series.getColumns();
      for (List<Object> row : series.getValues()) {
        long ts = ((Number) row.get(0)).longValue();
        for (int i = 1; i < columns.size(); i++) {
          String column = columns.get(i);
          if (row.get(i) instanceof Number n && MetricName.isWellFormed(column)) {
            readings.add(new StoredReading(device, new Reading(column, n.doubleValue(), ts)));
          }
        }
      }
    }
    return readings;
  }

  /**
   * A KPI's history downsampled to {@code resolutionSeconds}: mean, min and max per interval.
   *
   * @param zones the zone and the ids merged into it: stored data keeps the id it was stored with
   * @param site a site, or null for the zone-level series
   */
  public JsonArray history(
      List<String> zones, String site, String kpi, long fromMs, long toMs, long resolutionSeconds) {
    StringBuilder anyZone = new StringBuilder("(");
    for (int i = 0; i < zones.size(); i++) {
      anyZone.append(i == 0 ? "" : " OR ").append("\"zone\" = $zone").append(i);
    }
    anyZone.append(')');
    BoundParameterQuery.QueryBuilder query =
        BoundParameterQuery.QueryBuilder.newQuery(
                Downsampling.forQuery(toMs - fromMs, resolutionSeconds).select("value", "kpi")
                    + " WHERE "
                    + anyZone
                    + " AND \"site\" = $site AND \"kpi\""
                    + " = $kpi AND time >= $from AND time < $to GROUP BY time("
                    + resolutionSeconds
                    + "s) fill(none)")
            .forDatabase(database);
    // Parameters bind only once the database is set: the builder creates the query there.
    for (int i = 0; i < zones.size(); i++) {
      query.bind("zone" + i, zones.get(i));
    }
    return points(
        query
            .bind("site", site == null ? "" : site)
            .bind("kpi", kpi)
            .bind("from", Instant.ofEpochMilli(fromMs).toString())
            .bind("to", Instant.ofEpochMilli(toMs).toString())
            .create());
  }

  /** A device metric's history downsampled to {@code resolutionSeconds}. */
  public JsonArray deviceHistory(
      String type, String device, String metric, long fromMs, long toMs, long resolutionSeconds) {
    if (!MetricName.isWellFormed(type) || !MetricName.isWellFormed(metric)) {
      throw new IllegalArgumentException("invalid measurement or metric name");
    }
    return points(
        BoundParameterQuery.QueryBuilder.newQuery(
                Downsampling.forQuery(toMs - fromMs, resolutionSeconds).select(metric, type)
                    + " WHERE \"device\" = $device AND time >= $from AND time < $to GROUP BY"
                    + " time("
                    + resolutionSeconds
                    + "s) fill(none)")
            .forDatabase(database)
            .bind("device", device)
            .bind("from", Instant.ofEpochMilli(fromMs).toString())
            .bind("to", Instant.ofEpochMilli(toMs).toString())
            .create());
  }

  private JsonArray points(org.influxdb.dto.Query query) {
    JsonArray points = new JsonArray();
    for (QueryResult.Series series : series(query(query))) {
      for (List<Object> row : series.getValues()) {
        if (row.get(1) instanceof Number mean) {
          points.add(
              new JsonObject()
                  .put("ts", ((Number) row.get(0)).longValue())
                  .put("value", KpiCalculator.round(mean.doubleValue()))
                  .put("min", ((Number) row.get(2)).doubleValue())
                  .put("max", ((Number) row.get(3)).doubleValue()));
        }
      }
    }
    return points;
  }

  private QueryResult query(org.influxdb.dto.Query query) {
    QueryResult result = influx.query(query, TimeUnit.MILLISECONDS);
    if (result.hasError() && !missingDatabase(result.getError())) {
      throw new IllegalStateException("kpi query failed: " + result.getError());
    }
    return result;
  }

  private static List<QueryResult.Series> series(QueryResult result) {
    List<QueryResult.Series> all = new ArrayList<>();
    if (result.getResults() == null) {
      return all;
    }
    for (QueryResult.Result r : result.getResults()) {
      if (r.hasError() && missingDatabase(r.getError())) {
        continue;
      }
      if (r.hasError()) {
        throw new IllegalStateException("kpi query failed: " + r.getError());
      }
      if (r.getSeries() != null) {
        all.addAll(r.getSeries());
      }
    }
    return all;
  }

  /** Before the first reading is stored the database may not exist yet: nothing to read. */
  static boolean missingDatabase(String error) {
    return error != null && error.startsWith("database not found");
  }

  private static String quote(String identifier) {
    return "\"" + identifier + "\"";
  }
}
