package vn.lantern.rules.regulation;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Locale;
import vn.lantern.common.wastewater.DischargeCoefficients;

/** A rule template turned into one wastewater site's rule: scoped to it, limits at its Cmax. */
final class SiteLimits {
  private SiteLimits() {}

  /** The template for {@code site}: its scope, name and every threshold's value and clear level. */
  static JsonObject scoped(JsonObject template, WastewaterSite site) {
    JsonObject rule = template.copy();
    rule.getJsonObject("scope").put("zone", site.zone()).put("site", site.site());
    DischargeCoefficients k = site.coefficients();
    rule.put(
        "name",
        rule.getString("name")
            + String.format(
                Locale.ROOT, " — %s (Cmax = C × Kq %.2f × Kf %.2f)", site.site(), k.kq(), k.kf()));
    scale(rule.getJsonObject("condition"), rule.getString("metric"), k);
    return rule;
  }

  private static void scale(JsonObject condition, String ruleMetric, DischargeCoefficients k) {
    String metric = condition.getString("metric", ruleMetric);
    JsonArray children = condition.getJsonArray("conditions");
    if (children != null) {
      for (int i = 0; i < children.size(); i++) {
        scale(children.getJsonObject(i), metric, k);
      }
      return;
    }
    if (!"threshold".equals(condition.getString("type")) || metric == null) {
      return;
    }
    for (String field : new String[] {"value", "clear"}) {
      Object limit = condition.getValue(field);
      if (limit instanceof Number n) {
        condition.put(field, k.cmax(metric, n.doubleValue()));
      } else if (limit instanceof JsonArray range) {
        JsonArray scaled = new JsonArray();
        range.forEach(v -> scaled.add(k.cmax(metric, ((Number) v).doubleValue())));
        condition.put(field, scaled);
      }
    }
  }
}
