package vn.lantern.ioc.kpi;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import vn.lantern.common.telemetry.MetricName;
import vn.lantern.rules.rule.Durations;
import vn.lantern.rules.rule.InvalidRuleException;

/**
 * A custom KPI: an aggregation of one metric of one device type over a window before each window's
 * end, per site and per zone, optionally limited to one zone (and site).
 *
 * @param name KPI name, also its id; must not be a built-in KPI's
 * @param type device type (InfluxDB measurement)
 * @param metric metric name
 * @param aggregation {@code avg}, {@code min}, {@code max}, {@code sum}, {@code count} or {@code
 *     last}
 * @param window period aggregated, at most 24 h
 * @param zone zone it applies to, or null for every zone
 * @param site site it applies to, or null for every site
 */
public record KpiDefinition(
    String name,
    String type,
    String metric,
    String aggregation,
    Duration window,
    String zone,
    String site) {

  static final List<String> AGGREGATIONS = List.of("avg", "min", "max", "sum", "count", "last");
  private static final Duration MAX_WINDOW = Duration.ofHours(24);

  /**
   * Parses and validates the API's JSON: {@code {"name", "metric", "aggregation", "window",
   * "scope": {"type", "zone"?, "site"?}}}.
   *
   * @throws InvalidRuleException naming the field at fault
   */
  public static KpiDefinition parse(JsonObject json) {
    String name = name(json.getValue("name"), "name");
    if (KpiNames.ALL.contains(name)) {
      throw new InvalidRuleException("name", "'" + name + "' is a built-in KPI");
    }
    String metric = name(json.getValue("metric"), "metric");
    Object aggregation = json.getValue("aggregation");
    if (!(aggregation instanceof String a) || !AGGREGATIONS.contains(a)) {
      throw new InvalidRuleException("aggregation", "must be one of " + AGGREGATIONS);
    }
    Duration window = Durations.parse(json.getValue("window"), "window");
    if (window.isZero() || window.compareTo(MAX_WINDOW) > 0) {
      throw new InvalidRuleException("window", "must be longer than 0 and at most 24h");
    }
    if (!(json.getValue("scope") instanceof JsonObject scope)) {
      throw new InvalidRuleException("scope", "is required: {\"type\": ...}");
    }
    String type = name(scope.getValue("type"), "scope.type");
    return new KpiDefinition(
        name,
        type,
        metric,
        (String) aggregation,
        window,
        text(scope.getValue("zone"), "scope.zone"),
        text(scope.getValue("site"), "scope.site"));
  }

  private static String name(Object value, String field) {
    if (!(value instanceof String s) || !MetricName.isWellFormed(s)) {
      throw new InvalidRuleException(field, "must match " + MetricName.RULE);
    }
    return s;
  }

  private static String text(Object value, String field) {
    if (value == null) {
      return null;
    }
    if (!(value instanceof String s) || s.isBlank() || s.length() > 128) {
      throw new InvalidRuleException(field, "must be text of 1 to 128 characters");
    }
    return s;
  }

  /** Whether it applies to a zone. */
  public boolean appliesTo(String zoneId) {
    return zone == null || zone.equals(zoneId);
  }

  /** The API's JSON form (what {@link #parse} takes). */
  public JsonObject toJson() {
    JsonObject scope = new JsonObject().put("type", type);
    if (zone != null) {
      scope.put("zone", zone);
    }
    if (site != null) {
      scope.put("site", site);
    }
    return new JsonObject()
        .put("name", name)
        .put("metric", metric)
        .put("aggregation", aggregation)
        .put("window", Durations.format(window))
        .put("scope", scope);
  }

  /** Aggregates values (in time order); NaN when there are none. */
  double aggregate(List<Double> values) {
    if (values.isEmpty()) {
      return aggregation.equals("count") ? 0 : Double.NaN;
    }
    return switch (aggregation) {
      case "min" -> values.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
      case "max" -> values.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
      case "sum" -> values.stream().mapToDouble(Double::doubleValue).sum();
      case "count" -> values.size();
      case "last" -> values.get(values.size() - 1);
      default -> values.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    };
  }
}
