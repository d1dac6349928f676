package vn.lantern.ioc.kpi;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Rolls zone-level KPIs up the zone tree: a zone's value covers its own devices and those of every
 * zone below it (wards and parks up to the city). How each KPI combines is chosen per KPI (see
 * docs/kpis.md): the worst of a "how bad is it" KPI together with the zone it comes from, sums of
 * counts and energy, and shares recomputed from their parts. Custom KPIs are not rolled up: their
 * aggregation needs the samples, not the zones' results.
 */
final class ZoneRollup {
  /** Attribute naming the zone below that gave a worst-of value. */
  static final String WORST_ZONE = "worstZone";

  /** Attribute counting the zones a rolled-up value combines. */
  static final String ZONES = "zones";

  private static final Set<String> WORST_IS_HIGHEST =
      Set.of(
          KpiNames.AQI,
          KpiNames.AQI_DAILY,
          KpiNames.AQI_HOURS_ABOVE_100,
          KpiNames.RAIN_1H,
          KpiNames.RAIN_24H,
          KpiNames.POWER_PEAK_KW);
  private static final Set<String> SUMS =
      Set.of(
          KpiNames.ENERGY_KWH_TODAY,
          KpiNames.WASTEWATER_EXCEEDANCES_TODAY,
          KpiNames.STREET_LIGHT_FAULTS,
          KpiNames.ALERTS_OPEN_CRITICAL,
          KpiNames.ALERTS_OPEN_WARNING);

  private ZoneRollup() {}

  /**
   * The zone-level values of every zone, rolled up.
   *
   * @param own each zone's own zone-level values (site null), from its own devices only
   * @param parents each zone's parent
   * @return for every zone with a value of its own or below it, per KPI: its own value where
   *     nothing below adds to it, else the combination
   */
  static List<KpiValue> rollUp(Collection<KpiValue> own, Map<String, String> parents) {
    // kpi -> zone -> contributions (own and below)
    Map<String, Map<String, List<KpiValue>>> byKpi = new TreeMap<>();
    Map<String, KpiValue> devicesOf = new HashMap<>();
    for (KpiValue v : own) {
      if (v.kpi().equals(KpiNames.DEVICES_ONLINE_PCT)) {
        devicesOf.put(v.zone(), v);
      }
      boolean custom = v.attributes().containsKey("custom");
      Set<String> seen = new java.util.HashSet<>();
      for (String zone = v.zone(); zone != null && seen.add(zone); zone = parents.get(zone)) {
        byKpi
            .computeIfAbsent(v.kpi(), k -> new TreeMap<>())
            .computeIfAbsent(zone, z -> new ArrayList<>())
            .add(v);
        if (custom) {
          break;
        }
      }
    }
    List<KpiValue> out = new ArrayList<>();
    byKpi.forEach(
        (kpi, zones) ->
            zones.forEach(
                (zone, parts) -> {
                  if (parts.size() == 1 && parts.get(0).zone().equals(zone)) {
                    out.add(parts.get(0));
                  } else {
                    out.add(combine(zone, kpi, parts, devicesOf));
                  }
                }));
    return out;
  }

  private static KpiValue combine(
      String zone, String kpi, List<KpiValue> parts, Map<String, KpiValue> devicesOf) {
    long ts = parts.stream().mapToLong(KpiValue::ts).max().orElseThrow();
    Map<String, Object> attrs = new LinkedHashMap<>();
    attrs.put(ZONES, parts.size());
    if (WORST_IS_HIGHEST.contains(kpi)) {
      return worst(zone, kpi, parts, Comparator.comparingDouble(KpiValue::value), ts);
    }
    if (kpi.equals(KpiNames.PF_AVG)) {
      return worst(zone, kpi, parts, Comparator.comparingDouble(KpiValue::value).reversed(), ts);
    }
    if (kpi.equals(KpiNames.RIVER_LEVEL_MAX)) {
      Comparator<KpiValue> byAlarm =
          Comparator.comparingInt(
              v -> v.attributes().get("alarmLevel") instanceof Integer i ? i : 0);
      return worst(zone, kpi, parts, byAlarm.thenComparingDouble(KpiValue::value), ts);
    }
    if (SUMS.contains(kpi)) {
      double sum = parts.stream().mapToDouble(KpiValue::value).sum();
      return new KpiValue(zone, null, kpi, KpiCalculator.round(sum), ts, attrs);
    }
    if (kpi.equals(KpiNames.DEVICES_ONLINE_PCT)) {
      int online = 0;
      int devices = 0;
      for (KpiValue v : parts) {
        online += count(v, "online");
        devices += count(v, "devices");
      }
      attrs.put("online", online);
      attrs.put("devices", devices);
      double pct = devices == 0 ? 0 : 100.0 * online / devices;
      return new KpiValue(zone, null, kpi, KpiCalculator.round(pct), ts, attrs);
    }
    // Shares weighted by what they are shares of: wastewater by its 5-minute averages,
    // completeness by each zone's number of devices.
    String weightAttr = kpi.equals(KpiNames.WASTEWATER_COMPLIANCE_PCT) ? "averages" : null;
    double weighted = 0;
    double weights = 0;
    for (KpiValue v : parts) {
      double weight;
      if (weightAttr != null) {
        weight = count(v, weightAttr);
      } else {
        KpiValue devices = devicesOf.get(v.zone());
        weight = devices == null ? 1 : Math.max(1, count(devices, "devices"));
      }
      weighted += v.value() * weight;
      weights += weight;
    }
    if (weightAttr != null) {
      attrs.put(weightAttr, (int) weights);
    }
    double value = weights == 0 ? 0 : weighted / weights;
    return new KpiValue(zone, null, kpi, KpiCalculator.round(value), ts, attrs);
  }

  private static KpiValue worst(
      String zone, String kpi, List<KpiValue> parts, Comparator<KpiValue> order, long ts) {
    KpiValue worst = parts.get(0);
    for (KpiValue v : parts) {
      if (order.compare(v, worst) > 0) {
        worst = v;
      }
    }
    Map<String, Object> attrs = new LinkedHashMap<>(worst.attributes());
    attrs.put(WORST_ZONE, worst.zone());
    attrs.put(ZONES, parts.size());
    return new KpiValue(zone, null, kpi, worst.value(), ts, attrs);
  }

  private static int count(KpiValue v, String attribute) {
    return v.attributes().get(attribute) instanceof Number n ? n.intValue() : 0;
  }
}
