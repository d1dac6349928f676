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
 * @param sites site names of gauges registered as this station
 * @param levels BĐ1, BĐ2, BĐ3, ascending
 * @param citation where the levels are set
 */
public record FloodStation(
    String id,
    String name,
    String river,
    String zone,
    List<String> sites,
    List<Double> levels,
    String citation) {

  public FloodStation {
    sites = List.copyOf(sites);
    levels = List.copyOf(levels);
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
    return new FloodStation(
        Threshold.required(json, "id", path, file),
        Threshold.required(json, "name", path, file),
        Threshold.required(json, "river", path, file),
        json.getString("zone"),
        sites,
        values,
        Threshold.required(json, "citation", path, file));
  }

  JsonObject toJson() {
    return new JsonObject()
        .put("id", id)
        .put("name", name)
        .put("river", river)
        .put("zone", zone)
        .put("sites", new JsonArray(sites))
        .put("levels", new JsonArray(levels))
        .put("citation", citation);
  }
}
