package vn.lantern.rules.regulation;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A regulation pack: the limits one legal text sets (each with its citation and, where the law
 * changes them, the dates they change on), the stations it names, and the rules seeded from it.
 * Packs are data (JSON), bundled with the node and replaceable from the data directory.
 *
 * @param id stable id, e.g. {@code qcvn-40-2011-wastewater}
 * @param version incremented by whoever changes the pack
 * @param effectiveFrom the day the legal text took effect
 * @param name short title in Vietnamese and English
 * @param description what it covers, in Vietnamese and English
 * @param citation the legal text
 * @param unconfirmed facts of the pack not confirmed from the legal text itself, in words
 * @param thresholds its limits
 * @param stations river stations and their alarm levels (flood packs)
 * @param sites wastewater outlets with their receiving water and flow (Kq, Kf)
 * @param ruleTemplates rules to seed (see {@link #rules()})
 * @param origin {@code bundled} or {@code data directory}
 */
public record RegulationPack(
    String id,
    int version,
    LocalDate effectiveFrom,
    Text name,
    Text description,
    String citation,
    List<String> unconfirmed,
    List<Threshold> thresholds,
    List<FloodStation> stations,
    List<WastewaterSite> sites,
    JsonArray ruleTemplates,
    String origin) {

  public RegulationPack {
    unconfirmed = List.copyOf(unconfirmed);
    thresholds = List.copyOf(thresholds);
    stations = List.copyOf(stations);
    sites = List.copyOf(sites);
  }

  /** A threshold by id. */
  public Optional<Threshold> threshold(String thresholdId) {
    return thresholds.stream().filter(t -> t.id().equals(thresholdId)).findFirst();
  }

  /**
   * The rules to seed, as rule JSON: each template once, or once per zone of its {@code zones}
   * list, with {@code source} naming this pack, its version and the template's citation (the pack's
   * when it has none). In a zone with wastewater {@code sites}, a template is seeded once per site
   * instead, scoped to it, its limits turned into the site's Cmax = C × Kq × Kf.
   */
  public List<JsonObject> rules() {
    List<JsonObject> rules = new ArrayList<>();
    for (int i = 0; i < ruleTemplates.size(); i++) {
      JsonObject template = ruleTemplates.getJsonObject(i).copy();
      String ruleCitation = (String) template.remove("citation");
      JsonArray zones = (JsonArray) template.remove("zones");
      JsonObject source = source(ruleCitation == null ? citation : ruleCitation);
      if (zones == null) {
        rules.add(template.put("source", source));
        continue;
      }
      for (Object zone : zones) {
        List<WastewaterSite> inZone = sites.stream().filter(w -> w.zone().equals(zone)).toList();
        if (inZone.isEmpty()) {
          JsonObject rule = template.copy();
          rule.getJsonObject("scope").put("zone", zone);
          rules.add(rule.put("source", source));
        }
        for (WastewaterSite site : inZone) {
          rules.add(SiteLimits.scoped(template, site).put("source", source));
        }
      }
    }
    return rules;
  }

  /** The {@code source} of a rule seeded from this pack. */
  public JsonObject source(String ruleCitation) {
    return new JsonObject().put("pack", id).put("version", version).put("citation", ruleCitation);
  }

  static RegulationPack parse(JsonObject json, String file, String origin) {
    String id = Threshold.required(json, "id", "pack", file);
    if (!(json.getValue("version") instanceof Integer version) || version < 1) {
      throw new InvalidPackException(file, "version", "must be a positive whole number");
    }
    LocalDate effectiveFrom =
        Threshold.date(json.getString("effectiveFrom"), "effectiveFrom", file);
    if (effectiveFrom == null) {
      throw new InvalidPackException(file, "effectiveFrom", "is required");
    }
    List<String> unconfirmed = new ArrayList<>();
    json.getJsonArray("unconfirmed", new JsonArray()).forEach(u -> unconfirmed.add(u.toString()));
    List<Threshold> thresholds = new ArrayList<>();
    JsonArray t = json.getJsonArray("thresholds", new JsonArray());
    for (int i = 0; i < t.size(); i++) {
      thresholds.add(Threshold.parse(t.getJsonObject(i), "thresholds[" + i + "]", file));
    }
    List<FloodStation> stations = new ArrayList<>();
    JsonArray s = json.getJsonArray("stations", new JsonArray());
    for (int i = 0; i < s.size(); i++) {
      stations.add(FloodStation.parse(s.getJsonObject(i), "stations[" + i + "]", file));
    }
    for (int i = 0; i < stations.size(); i++) {
      List<FloodStation.Downstream> downstream = stations.get(i).downstream();
      for (int j = 0; j < downstream.size(); j++) {
        String target = downstream.get(j).station();
        if (stations.stream().noneMatch(st -> st.id().equals(target) && st.rulesZone() != null)) {
          throw new InvalidPackException(
              file,
              "stations[" + i + "].downstream[" + j + "].station",
              "must be a station of this pack with a zone or gaugeZone");
        }
      }
    }
    List<WastewaterSite> sites = new ArrayList<>();
    JsonArray w = json.getJsonArray("sites", new JsonArray());
    for (int i = 0; i < w.size(); i++) {
      sites.add(WastewaterSite.parse(w.getJsonObject(i), "sites[" + i + "]", file));
    }
    return new RegulationPack(
        id,
        version,
        effectiveFrom,
        Text.parse(json, "name", file),
        Text.parse(json, "description", file),
        Threshold.required(json, "citation", "pack", file),
        unconfirmed,
        thresholds,
        stations,
        sites,
        json.getJsonArray("rules", new JsonArray()),
        origin);
  }

  /** The API's form: everything but the rule templates (the seeded rules are in /rules). */
  public JsonObject toJson() {
    JsonArray t = new JsonArray();
    thresholds.forEach(th -> t.add(th.toJson()));
    JsonArray s = new JsonArray();
    stations.forEach(st -> s.add(st.toJson()));
    return new JsonObject()
        .put("id", id)
        .put("version", version)
        .put("effectiveFrom", effectiveFrom.toString())
        .put("name", name.toJson())
        .put("description", description.toJson())
        .put("citation", citation)
        .put("unconfirmed", new JsonArray(unconfirmed))
        .put("origin", origin)
        .put("thresholds", t)
        .put("stations", s)
        .put("sites", new JsonArray(sites.stream().map(WastewaterSite::toJson).toList()));
  }
}
