package vn.lantern.ioc.kpi;

import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One KPI value of a zone or of a site in it.
 *
 * @param zone zone id
 * @param site site name, or null for a zone-level KPI
 * @param kpi KPI name, one of {@link KpiNames}
 * @param value the value
 * @param ts epoch ms it was computed for (the end of its window)
 * @param attributes extra fields of the API item, e.g. an AQI's {@code band}, {@code color} and
 *     {@code dominant}, or a river level's alarm levels
 */
public record KpiValue(
    String zone, String site, String kpi, double value, long ts, Map<String, Object> attributes) {

  public KpiValue {
    attributes = Map.copyOf(attributes);
  }

  /** A value without extra fields. */
  public static KpiValue of(String zone, String site, String kpi, double value, long ts) {
    return new KpiValue(zone, site, kpi, value, ts, Map.of());
  }

  /** Identity of the series: (zone, site, kpi). */
  public String key() {
    return zone + '\u0000' + (site == null ? "" : site) + '\u0000' + kpi;
  }

  /** Whether it carries the same value and fields as {@code other} (time aside). */
  public boolean sameAs(KpiValue other) {
    return other != null
        && Double.compare(value, other.value) == 0
        && attributes.equals(other.attributes);
  }

  /** The value of {@link #toJson}'s JSON form: the fields other than its own are attributes. */
  public static KpiValue fromJson(JsonObject json) {
    Map<String, Object> attributes = new HashMap<>(json.getMap());
    for (String field : List.of("zone", "site", "kpi", "value", "ts")) {
      attributes.remove(field);
    }
    return new KpiValue(
        json.getString("zone"),
        json.getString("site"),
        json.getString("kpi"),
        json.getDouble("value"),
        json.getLong("ts"),
        attributes);
  }

  /** The API's JSON form. */
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("zone", zone);
    if (site != null) {
      json.put("site", site);
    }
    json.put("kpi", kpi).put("value", value).put("ts", ts);
    attributes.forEach(json::put);
    return json;
  }
}
