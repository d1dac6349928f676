package vn.lantern.ioc.kpi;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import vn.lantern.rules.regulation.RegulationPack;
import vn.lantern.rules.regulation.Regulations;

/**
 * A zone's disaster risk level (Decision 18/2021/QĐ-TTg) from its KPIs: the heavy-rain level of its
 * wettest gauge's 24-hour total (Articles 44 and 46: 100 / 200 / 400 mm for levels 1–3) and the
 * flood level of its highest station against its alarm levels (Article 45: level 1 from BĐ2, level
 * 2 from BĐ3, level 3 from BĐ3 + 1 m); the zone's level is the higher. The figures come from the
 * {@value #PACK} regulation pack, so a replaced pack changes them without a release.
 *
 * @param rainMm the 24-hour totals of levels 1, 2 and 3 (mm), ascending
 * @param floodLevel3AboveBd3 how far above BĐ3 a river reaches level 3 (m)
 */
public record DisasterRisk(List<Double> rainMm, double floodLevel3AboveBd3) {
  /** The regulation pack the figures come from. */
  public static final String PACK = "decision-18-2021-disaster-risk";

  /**
   * The map colours of Article 4 / Appendix XII by level (1 light blue, 2 light yellow, 3 orange, 4
   * red, 5 purple), as CSS colours: the Appendix's exact shades are unconfirmed.
   */
  private static final String[] COLORS = {
    "", "#add8e6", "#ffffe0", "#ffa500", "#ff0000", "#800080"
  };

  public DisasterRisk {
    rainMm = List.copyOf(rainMm);
  }

  /** The figures of the pack in force today, or empty when the pack or a figure is missing. */
  public static Optional<DisasterRisk> of(Regulations regulations) {
    Optional<RegulationPack> pack = regulations.pack(PACK);
    if (pack.isEmpty()) {
      return Optional.empty();
    }
    LocalDate today = LocalDate.now();
    List<Double> rain = new ArrayList<>();
    for (String id : List.of("rain_24h_level1", "rain_24h_level2", "rain_24h_level3")) {
      OptionalDouble mm =
          pack.get().threshold(id).map(t -> t.valueOn(today)).orElse(OptionalDouble.empty());
      if (mm.isEmpty()) {
        return Optional.empty();
      }
      rain.add(mm.getAsDouble());
    }
    OptionalDouble above =
        pack.get()
            .threshold("flood_level3_above_bd3")
            .map(t -> t.valueOn(today))
            .orElse(OptionalDouble.empty());
    return above.isEmpty()
        ? Optional.empty()
        : Optional.of(new DisasterRisk(rain, above.getAsDouble()));
  }

  /** The heavy-rain level (0–3) of a 24-hour total. */
  public int rainLevel(double mm24h) {
    int level = 0;
    for (int i = 0; i < rainMm.size(); i++) {
      if (mm24h >= rainMm.get(i)) {
        level = i + 1;
      }
    }
    return level;
  }

  /** The flood level (0–3) of a river level against its station's alarm levels. */
  public int floodLevel(double level, FloodLevels alarms) {
    if (level >= alarms.alarm3() + floodLevel3AboveBd3) {
      return 3;
    }
    if (level >= alarms.alarm3()) {
      return 2;
    }
    return level >= alarms.alarm2() ? 1 : 0;
  }

  /**
   * The zone's {@code disaster_risk_level} from its {@code rain_24h} (zone value) and its stations'
   * {@code river_level_max} among {@code zoneValues}, or null when it has neither.
   */
  KpiValue zoneLevel(String zone, List<KpiValue> zoneValues, KpiConfig config, long ts) {
    int rain = 0;
    Double rainMm = null;
    int flood = 0;
    String floodStation = null;
    boolean any = false;
    for (KpiValue v : zoneValues) {
      if (v.kpi().equals(KpiNames.RAIN_24H) && v.site() == null) {
        any = true;
        rainMm = v.value();
        rain = rainLevel(v.value());
      } else if (v.kpi().equals(KpiNames.RIVER_LEVEL_MAX) && v.site() != null) {
        FloodLevels alarms = config.floodLevels(zone, v.site());
        if (alarms != null) {
          any = true;
          int level = floodLevel(v.value(), alarms);
          if (level > flood) {
            flood = level;
            floodStation = alarms.station() != null ? alarms.station() : v.site();
          }
        }
      }
    }
    if (!any) {
      return null;
    }
    int level = Math.max(rain, flood);
    Map<String, Object> attrs = new LinkedHashMap<>();
    attrs.put("rainLevel", rain);
    attrs.put("floodLevel", flood);
    if (level > 0) {
      attrs.put("color", COLORS[level]);
    }
    if (floodStation != null) {
      attrs.put("floodStation", floodStation);
    }
    String bulletin = bulletin(rain, rainMm, flood, floodStation);
    if (bulletin != null) {
      attrs.put("bulletin", bulletin);
    }
    return new KpiValue(zone, null, KpiNames.DISASTER_RISK_LEVEL, level, ts, attrs);
  }

  /**
   * E.g. "Rủi ro thiên tai do mưa lớn: cấp độ 2 (mưa 24 giờ 215 mm); do lũ: cấp độ 1 (Hội An)", or
   * null at level 0.
   */
  private static String bulletin(int rain, Double rainMm, int flood, String floodStation) {
    List<String> parts = new ArrayList<>();
    if (rain > 0) {
      parts.add(
          String.format(
              Locale.ROOT,
              "Rủi ro thiên tai do mưa lớn: cấp độ %d (mưa 24 giờ %s mm)",
              rain,
              String.format(Locale.ROOT, "%.0f", rainMm)));
    }
    if (flood > 0) {
      parts.add(
          (parts.isEmpty() ? "Rủi ro thiên tai do lũ: cấp độ " : "do lũ: cấp độ ")
              + flood
              + " ("
              + floodStation
              + ")");
    }
    return parts.isEmpty() ? null : String.join("; ", parts);
  }
}
