package vn.lantern.ioc.kpi;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Every KPI of one window, as stored and pushed to the IOC.
 *
 * @param windowStart epoch ms, inclusive
 * @param windowEnd epoch ms, exclusive
 * @param values the KPI values
 */
public record KpiSnapshot(long windowStart, long windowEnd, List<KpiValue> values) {

  public KpiSnapshot {
    values = List.copyOf(values);
  }

  /** The pushed JSON: {@code {"windowStart", "windowEnd", "items": [...]}}. */
  public JsonObject toJson() {
    JsonArray items = new JsonArray();
    values.forEach(v -> items.add(v.toJson()));
    return new JsonObject()
        .put("windowStart", windowStart)
        .put("windowEnd", windowEnd)
        .put("items", items);
  }
}
