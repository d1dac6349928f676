package vn.lantern.rules.regulation;

import io.vertx.core.json.JsonObject;
import vn.lantern.common.wastewater.DischargeCoefficients;
import vn.lantern.common.wastewater.DischargeCoefficients.ReceivingWater;
import vn.lantern.common.wastewater.DischargeCoefficients.WaterBody;

/**
 * A wastewater outlet of a pack (QCVN 40): where it discharges and how much, which give its Kq and
 * Kf. The rules seeded for the site and the compliance KPI both take Cmax from here.
 *
 * @param zone the park's zone id
 * @param site the outlet's site name, as its devices are registered
 * @param coefficients its receiving water and flow
 * @param source who stated the receiving water and flow (the discharge permit, usually)
 */
public record WastewaterSite(
    String zone, String site, DischargeCoefficients coefficients, String source) {

  static WastewaterSite parse(JsonObject json, String path, String file) {
    JsonObject receiving = json.getJsonObject("receiving");
    if (receiving == null) {
      throw new InvalidPackException(file, path + ".receiving", "is required");
    }
    if (!(json.getValue("flowM3PerDay") instanceof Number flow)) {
      throw new InvalidPackException(file, path + ".flowM3PerDay", "must be a number (m³/24h)");
    }
    String typeName = Threshold.required(receiving, "type", path + ".receiving", file);
    WaterBody type;
    try {
      type = WaterBody.parse(typeName);
    } catch (IllegalArgumentException e) {
      throw new InvalidPackException(
          file, path + ".receiving.type", "must be river, lake or coastal");
    }
    String zone = Threshold.required(json, "zone", path, file);
    String site = Threshold.required(json, "site", path, file);
    String source = Threshold.required(json, "source", path, file);
    try {
      return new WastewaterSite(
          zone,
          site,
          new DischargeCoefficients(
              new ReceivingWater(
                  type,
                  number(receiving, "flowM3s"),
                  number(receiving, "volumeM3"),
                  receiving.getBoolean("protectedUse", false)),
              flow.doubleValue()),
          source);
    } catch (IllegalArgumentException e) {
      throw new InvalidPackException(file, path + ".receiving", e.getMessage());
    }
  }

  private static double number(JsonObject json, String key) {
    return json.getValue(key) instanceof Number n ? n.doubleValue() : Double.NaN;
  }

  JsonObject toJson() {
    ReceivingWater water = coefficients.receiving();
    JsonObject receiving =
        new JsonObject().put("type", water.type().name().toLowerCase(java.util.Locale.ROOT));
    if (!Double.isNaN(water.flowM3s())) {
      receiving.put("flowM3s", water.flowM3s());
    }
    if (!Double.isNaN(water.volumeM3())) {
      receiving.put("volumeM3", water.volumeM3());
    }
    if (water.type() == WaterBody.COASTAL) {
      receiving.put("protectedUse", water.protectedUse());
    }
    return new JsonObject()
        .put("zone", zone)
        .put("site", site)
        .put("receiving", receiving)
        .put("flowM3PerDay", coefficients.flowM3PerDay())
        .put("kq", coefficients.kq())
        .put("kf", coefficients.kf())
        .put("source", source);
  }
}
