package vn.lantern.rules.pack;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import vn.lantern.rules.regulation.FloodStation;
import vn.lantern.rules.regulation.RegulationPack;

/**
 * The rules a flood pack's station table implies for a station in a zone: one escalating {@code
 * levels} alert per gauge at BĐ1–BĐ3 (info, warning, critical), a rate-of-rise warning, and one
 * {@code upstream} warning per downstream station it lists. The levels come from the station, so
 * the rules and the river-level KPI never disagree.
 */
final class StationRules {
  private static final String[] SEVERITIES = {"info", "warning", "critical"};
  private static final String RATE_CITATION =
      "Operational default (0.2 m/h for 30 min), no legal source: tune it per station";

  private StationRules() {}

  static List<JsonObject> of(RegulationPack pack, FloodStation station) {
    List<JsonObject> rules = new ArrayList<>();
    rules.add(levels(pack, station));
    rules.add(rateOfRise(pack, station));
    for (FloodStation.Downstream d : station.downstream()) {
      pack.stations().stream()
          .filter(s -> s.id().equals(d.station()))
          .findFirst()
          .ifPresent(to -> rules.add(upstream(pack, station, to, d)));
    }
    return rules;
  }

  private static JsonArray alarmLevels(FloodStation station) {
    List<Double> v = station.levels();
    JsonArray levels = new JsonArray();
    for (int i = 0; i < v.size(); i++) {
      levels.add(
          new JsonObject()
              .put("name", "BĐ" + (i + 1))
              .put("value", v.get(i))
              .put("severity", SEVERITIES[i]));
    }
    return levels;
  }

  private static JsonObject stationJson(FloodStation station) {
    return new JsonObject().put("name", station.name()).put("river", station.river());
  }

  private static JsonObject rise() {
    return new JsonObject()
        .put("type", "rate")
        .put("op", ">=")
        .put("value", 0.2)
        .put("clear", 0.05)
        .put("per", "1h")
        .put("for", "30m");
  }

  /**
   * The upstream warning of a pair: the upstream station's levels and rate of rise, raised in the
   * downstream station's zone with the lead time.
   */
  private static JsonObject upstream(
      RegulationPack pack, FloodStation from, FloodStation to, FloodStation.Downstream d) {
    String lead =
        new DecimalFormat("0.#", DecimalFormatSymbols.getInstance(Locale.ROOT))
            .format(d.leadHours());
    return new JsonObject()
        .put(
            "name", "Upstream flood: " + title(from) + " → " + to.name() + ", about " + lead + " h")
        .put(
            "description",
            "Lũ thượng nguồn / upstream flood warning for "
                + to.name()
                + " ("
                + to.river()
                + "), raised in its zone while station "
                + from.name()
                + " is at or above BĐ1 (as its own alarm-level alert, severity of the level"
                + " reached) or rising at least 0.2 m/h for 30 min (warning); resolved once it is"
                + " below BĐ1 and no longer rising fast. A flood there typically reaches "
                + to.name()
                + " about "
                + lead
                + " h later"
                + (d.unconfirmed() ? " (lead time unconfirmed)." : ".")
                + " Each transition carries the bulletin line in Vietnamese and English.")
        .put("scope", scope(from))
        .put("metric", "level")
        .put(
            "condition",
            new JsonObject()
                .put("type", "upstream")
                .put("for", "5m")
                .put("hysteresis", 0.1)
                .put("station", stationJson(from))
                .put("levels", alarmLevels(from))
                .put("rise", rise())
                .put(
                    "downstream",
                    new JsonObject()
                        .put("name", to.name())
                        .put("zone", to.rulesZone())
                        .put("leadHours", d.leadHours())
                        .put("unconfirmed", d.unconfirmed())))
        .put("severity", "warning")
        .put("channels", new JsonArray())
        .put("enabled", true)
        .put("source", pack.source(from.citation() + "; lead time: " + d.citation()));
  }

  private static JsonObject levels(RegulationPack pack, FloodStation station) {
    List<Double> v = station.levels();
    JsonArray levels = alarmLevels(station);
    String values = metres(v.get(0)) + " / " + metres(v.get(1)) + " / " + metres(v.get(2));
    return new JsonObject()
        .put("name", title(station) + " flood alarm levels BĐ1–BĐ3 (" + values + " m)")
        .put(
            "description",
            "One alert per gauge at station "
                + station.name()
                + " on the "
                + station.river()
                + ": info at or above BĐ1 "
                + metres(v.get(0))
                + " m, warning at BĐ2 "
                + metres(v.get(1))
                + " m, critical at BĐ3 "
                + metres(v.get(2))
                + " m (national datum), each once held 5 minutes; the severity falls back a level"
                + " 0.1 m below it. Each transition carries the bulletin line.")
        .put("scope", scope(station))
        .put("metric", "level")
        .put(
            "condition",
            new JsonObject()
                .put("type", "levels")
                .put("for", "5m")
                .put("hysteresis", 0.1)
                .put("station", stationJson(station))
                .put("levels", levels))
        .put("severity", "info")
        .put("channels", new JsonArray())
        .put("enabled", true)
        .put("source", pack.source(station.citation()));
  }

  private static JsonObject rateOfRise(RegulationPack pack, FloodStation station) {
    return new JsonObject()
        .put("name", title(station) + " river rising fast (≥ 0.2 m/h for 30 min)")
        .put(
            "description",
            "Rate of rise at station "
                + station.name()
                + ": at least 0.2 m per hour between readings, for 30 minutes; clears below 0.05"
                + " m/h. An operational default, not a legal limit (unconfirmed): tune it per"
                + " station.")
        .put("scope", scope(station))
        .put("metric", "level")
        .put("condition", rise())
        .put("severity", "warning")
        .put("channels", new JsonArray())
        .put("enabled", true)
        .put("source", pack.source(RATE_CITATION));
  }

  private static String title(FloodStation station) {
    return station.name() + " (" + station.river() + ")";
  }

  private static JsonObject scope(FloodStation station) {
    JsonObject scope = new JsonObject().put("zone", station.rulesZone()).put("type", "water_level");
    if (!station.sites().isEmpty()) {
      scope.put("site", station.sites().get(0));
    }
    return scope;
  }

  private static String metres(double value) {
    return String.format(Locale.ROOT, "%.1f", value);
  }
}
