package vn.lantern.rules.regulation;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * A river gauge station and its flood alarm levels BĐ1–BĐ3 (m, national datum). The station owns
 * its levels: the river-level KPI and the shipped one-alert-per-gauge rule both read them here.
 *
 * @param id stable id, e.g. {@code hoi-an}
 * @param name the station's name as the bulletins write it, e.g. "Hội An"
 * @param river the river, e.g. "Thu Bồn"
 * @param zone the zone whose gauges are this station's (null: only by site name)
 * @param gaugeZone for a station found by site name only, the zone its gauges are registered in:
 *     its rules are seeded there, scoped to its first site (null: no rules)
 * @param sites site names of gauges registered as this station
 * @param levels BĐ1, BĐ2, BĐ3, ascending
 * @param citation where the levels are set
 * @param downstream the stations a flood here reaches later, with the typical lead time
 */
public record FloodStation(
    String id,
    String name,
    String river,
    String zone,
    String gaugeZone,
    List<String> sites,
    List<Double> levels,
    String citation,
    List<Downstream> downstream) {

  public FloodStation {
    sites = List.copyOf(sites);
    levels = List.copyOf(levels);
    downstream = List.copyOf(downstream);
  }

  /**
   * A station downstream of this one on the river network.
   *
   * @param station the downstream station's id, in the same pack
   * @param leadHours typical time a flood takes from here to there, in hours
   * @param unconfirmed whether the lead time is an estimate with no source
   * @param citation where the lead time comes from, or why it is an estimate
   */
  public record Downstream(String station, double leadHours, boolean unconfirmed, String citation) {
    JsonObject toJson() {
      return new JsonObject()
          .put("station", station)
          .put("leadHours", leadHours)
          .put("unconfirmed", unconfirmed)
          .put("citation", citation);
    }
  }

  /** The zone its rules watch: its own, else the one its gauges are registered in, or null. */
  public String rulesZone() {
    return zone != null ? zone : gaugeZone;
  }

  static FloodStation parse(JsonObject json, String path, String file) {
    JsonArray levels = json.getJsonArray("levels", new JsonArray());
    List<Double> values = new ArrayList<>();
    for (int i = 0; i < levels.size(); i++) {
      if (!(levels.getValue(i) instanceof Number n)
          || (!values.isEmpty() && n.doubleValue() <= values.get(values.size() - 1))) {
        throw new InvalidPackException(
            file, path + ".levels[" + i + "]", "must be a number above the previous level");
      }
      values.add(n.doubleValue());
    }
    if (values.size() != 3) {
      throw new InvalidPackException(file, path + ".levels", "needs BĐ1, BĐ2 and BĐ3");
    }
    List<String> sites = new ArrayList<>();
    json.getJsonArray("sites", new JsonArray()).forEach(s -> sites.add(String.valueOf(s)));
    String gaugeZone = json.getString("gaugeZone");
    if (gaugeZone != null && sites.isEmpty()) {
      throw new InvalidPackException(file, path + ".sites", "are required with a gaugeZone");
    }
    List<Downstream> downstream = new ArrayList<>();
    JsonArray d = json.getJsonArray("downstream", new JsonArray());
    for (int i = 0; i < d.size(); i++) {
      String at = path + ".downstream[" + i + "]";
      JsonObject entry = d.getJsonObject(i);
      if (!(entry.getValue("leadHours") instanceof Number hours) || !(hours.doubleValue() > 0)) {
        throw new InvalidPackException(file, at + ".leadHours", "must be a number above 0");
      }
      downstream.add(
          new Downstream(
              Threshold.required(entry, "station", at, file),
              hours.doubleValue(),
              entry.getBoolean("unconfirmed", false),
              Threshold.required(entry, "citation", at, file)));
    }
    return new FloodStation(
        Threshold.required(json, "id", path, file),
        Threshold.required(json, "name", path, file),
        Threshold.required(json, "river", path, file),
        json.getString("zone"),
        gaugeZone,
        sites,
        values,
        Threshold.required(json, "citation", path, file),
        downstream);
  }

  JsonObject toJson() {
    return new JsonObject()
        .put("id", id)
        .put("name", name)
        .put("river", river)
        .put("zone", zone)
        .put("gaugeZone", gaugeZone)
        .put("sites", new JsonArray(sites))
        .put("levels", new JsonArray(levels))
        .put("citation", citation)
        .put("downstream", new JsonArray(downstream.stream().map(Downstream::toJson).toList()));
  }
}
