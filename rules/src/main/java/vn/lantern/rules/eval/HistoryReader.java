package vn.lantern.rules.eval;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.influxdb.InfluxDB;
import org.influxdb.dto.BoundParameterQuery;
import org.influxdb.dto.QueryResult;
import vn.lantern.common.aqi.AqiPollutant;
import vn.lantern.common.telemetry.DeviceRef;
import vn.lantern.rules.rule.Condition;
import vn.lantern.rules.rule.Rule;

/**
 * Reads a rule's readings back from InfluxDB: to rebuild windows after a restart or a rule change,
 * and for dry runs. Values are bound parameters; identifiers (measurement and field names) are
 * validated names quoted as identifiers, never concatenated from raw input. Blocking: call from a
 * worker thread.
 */
public final class HistoryReader {
  private final InfluxDB influx;
  private final String database;
  private final int maxPointsPerSeries;

  public HistoryReader(InfluxDB influx, String database, int maxPointsPerSeries) {
    this.influx = influx;
    this.database = database;
    this.maxPointsPerSeries = maxPointsPerSeries;
  }

  /**
   * One stored reading.
   *
   * @param device the device, from the point's measurement and tags
   * @param metric field name
   * @param value value
   * @param ts epoch ms
   */
  public record Sample(DeviceRef device, String metric, double value, long ts) {}

  /**
   * The readings of a rule's scope in {@code [fromMs, toMs]}, oldest first.
   *
   * @param storedUnder the zone tags of the scope's zone: the zone and the ids merged into it
   * @param knownTypes device types to read when the rule's scope names none
   */
  public List<Sample> read(
      Rule rule, List<String> storedUnder, Collection<String> knownTypes, long fromMs, long toMs) {
    return read(rule, storedUnder, knownTypes, fromMs, toMs, maxPointsPerSeries);
  }

  /**
   * The readings of a rule's scope in {@code [fromMs, toMs]}, oldest first, at most {@code
   * limitPerSeries} of each device's series.
   *
   * @param storedUnder the zone tags of the scope's zone: the zone and the ids merged into it
   * @param knownTypes device types to read when the rule's scope names none
   */
  public List<Sample> read(
      Rule rule,
      List<String> storedUnder,
      Collection<String> knownTypes,
      long fromMs,
      long toMs,
      int limitPerSeries) {
    Set<String> types = new TreeSet<>();
    if (rule.scope().type() != null) {
      types.add(rule.scope().type());
    } else {
      types.addAll(knownTypes);
    }
    if (types.isEmpty()) {
      return List.of();
    }
    Set<String> metrics = new TreeSet<>();
    boolean anyMetric = metrics(rule.condition(), metrics);
    String fields =
        anyMetric
            ? "*"
            : metrics.stream().map(HistoryReader::quote).collect(Collectors.joining(", "));
    String from = types.stream().map(HistoryReader::quote).collect(Collectors.joining(", "));
    StringBuilder anyZone = new StringBuilder("(");
    for (int i = 0; i < storedUnder.size(); i++) {
      anyZone.append(i == 0 ? "" : " OR ").append("\"zone\" = $zone").append(i);
    }
    anyZone.append(')');
    StringBuilder sql =
        new StringBuilder("SELECT ")
            .append(fields)
            .append(" FROM ")
            .append(from)
            .append(" WHERE ")
            .append(anyZone)
            .append(" AND time >= $from AND time <= $to");
    if (rule.scope().site() != null) {
      sql.append(" AND \"site\" = $site");
    }
    sql.append(" GROUP BY \"device\", \"site\" LIMIT ").append(limitPerSeries);
    BoundParameterQuery.QueryBuilder query =
        BoundParameterQuery.QueryBuilder.newQuery(sql.toString())
            .forDatabase(database)
            .bind("from", Instant.ofEpochMilli(fromMs).toString())
            .bind("to", Instant.ofEpochMilli(toMs).toString());
    for (int i = 0; i < storedUnder.size(); i++) {
      query.bind("zone" + i, storedUnder.get(i));
    }
    if (rule.scope().site() != null) {
      query.bind("site", rule.scope().site());
    }
    QueryResult result = influx.query(query.create(), TimeUnit.MILLISECONDS);
    if (result.hasError()) {
      throw new IllegalStateException("history query failed: " + result.getError());
    }
    List<Sample> samples = new ArrayList<>();
    for (QueryResult.Result r : result.getResults()) {
      if (r.hasError()) {
        throw new IllegalStateException("history query failed: " + r.getError());
      }
      if (r.getSeries() == null) {
        continue;
      }
      for (QueryResult.Series series : r.getSeries()) {
        collect(series, rule, samples);
      }
    }
    samples.sort((a, b) -> Long.compare(a.ts(), b.ts()));
    return samples;
  }

  private static void collect(QueryResult.Series series, Rule rule, List<Sample> samples) {
    Map<String, String> tags = series.getTags() == null ? Map.of() : series.getTags();
    String deviceId = tags.get("device");
    if (deviceId == null || deviceId.isEmpty()) {
      return;
    }
    DeviceRef device =
        new DeviceRef(
            deviceId, series.getName(), rule.scope().zone(), tags.getOrDefault("site", ""));
    if (!rule.scope().matches(device)) {
      return;
    }
    List<String> columns = series.getColumns();
    for (List<Object> row : series.getValues()) {
      long ts = ((Number) row.get(0)).longValue();
      for (int i = 1; i < columns.size(); i++) {
        if (row.get(i) instanceof Number n && !isTag(columns.get(i))) {
          samples.add(new Sample(device, columns.get(i), n.doubleValue(), ts));
        }
      }
    }
  }

  private static boolean isTag(String column) {
    return column.equals("zone") || column.equals("site") || column.equals("device");
  }

  /** Collects the metrics a condition reads; returns true if it watches any metric. */
  static boolean metrics(Condition c, Set<String> into) {
    if (c instanceof Condition.Threshold t) {
      into.add(t.metric());
    } else if (c instanceof Condition.Rate r) {
      into.add(r.metric());
    } else if (c instanceof Condition.Aggregate a) {
      into.add(a.metric());
    } else if (c instanceof Condition.Levels l) {
      into.add(l.metric());
    } else if (c instanceof Condition.Aqi) {
      AqiPollutant.MEASURED.forEach(p -> into.add(p.metric()));
    } else if (c instanceof Condition.Absence a) {
      if (a.metric() == null) {
        return true;
      }
      into.add(a.metric());
    } else if (c instanceof Condition.Period) {
      return false;
    } else {
      List<Condition> children =
          c instanceof Condition.Any any ? any.conditions() : ((Condition.All) c).conditions();
      boolean anyMetric = false;
      for (Condition child : children) {
        anyMetric |= metrics(child, into);
      }
      return anyMetric;
    }
    return false;
  }

  /** Quotes a validated name as an InfluxQL identifier. */
  private static String quote(String identifier) {
    return "\"" + identifier.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
