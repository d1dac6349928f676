package vn.lantern.common.telemetry;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.DoubleUnaryOperator;

/**
 * The canonical unit of every metric in the sensor catalogue, and the alternative units a device
 * may report it in, converted at ingest so that stored values, rules and KPIs always see one unit.
 *
 * <p>Unit symbols follow the SenML units registry (RFC 8428 §12.1: {@code Cel}, {@code %RH}, {@code
 * m}, {@code /}) with the spellings field devices commonly send beside them. A metric the catalogue
 * does not know keeps its value whatever the unit; a known metric in a unit not listed here is
 * refused rather than stored on the wrong scale.
 */
public final class MetricUnits {

  /**
   * µg/m³ per ppm at 25 °C and 1 atm (molar volume 24.45 L), the reference conditions of QCVN 05.
   */
  private static final double MOLAR_VOLUME_LITRES = 24.45;

  private static final DoubleUnaryOperator SAME = v -> v;

  private static final Map<String, Units> BY_METRIC = catalogue();

  private MetricUnits() {}

  /**
   * Converts a value reported in {@code unit} to the metric's canonical unit.
   *
   * @param metric the metric name
   * @param unit the reported unit, or {@code null} when none was sent (the canonical unit is
   *     assumed)
   * @param value the reported value
   * @return the value in the canonical unit, or empty if the catalogue knows the metric but not the
   *     unit
   */
  public static Optional<Double> toCanonical(String metric, String unit, double value) {
    Units units = BY_METRIC.get(metric);
    if (units == null || unit == null) {
      return Optional.of(value);
    }
    DoubleUnaryOperator conversion = units.accepted().get(normalise(unit));
    return conversion == null ? Optional.empty() : Optional.of(conversion.applyAsDouble(value));
  }

  /**
   * The canonical unit of a catalogue metric, or empty for a metric the catalogue does not list.
   */
  public static Optional<String> canonical(String metric) {
    return Optional.ofNullable(BY_METRIC.get(metric)).map(Units::canonical);
  }

  /** The units accepted for a catalogue metric, canonical first; empty for an unknown metric. */
  public static List<String> accepted(String metric) {
    Units units = BY_METRIC.get(metric);
    return units == null ? List.of() : List.copyOf(units.accepted().keySet());
  }

  /** Folds the spellings devices use for the same symbol: µ/μ, ³, ° and letter case of litres. */
  private static String normalise(String unit) {
    return unit.strip()
        .replace('\u03bc', '\u00b5') // Greek mu to micro sign
        .replace("\u00b5", "u")
        .replace("\u00b3", "3")
        .replace("\u00b0", "deg")
        .replace("/l", "/L");
  }

  /** A canonical unit and the conversions into it, keyed by normalised symbol, canonical first. */
  private record Units(String canonical, Map<String, DoubleUnaryOperator> accepted) {
    Units or(String symbol, DoubleUnaryOperator toCanonical) {
      accepted.put(normalise(symbol), toCanonical);
      return this;
    }
  }

  private static Map<String, Units> catalogue() {
    Map<String, Units> m = new HashMap<>();
    Units particles = units("ug/m3").or("mg/m3", v -> v * 1000);
    m.put("pm25", particles);
    m.put("pm10", particles);
    m.put("o3", gas(48.00));
    m.put("no2", gas(46.01));
    m.put("so2", gas(64.07));
    m.put("co", gas(28.01));
    DoubleUnaryOperator fahrenheit = v -> (v - 32) * 5 / 9;
    m.put(
        "temperature",
        units("Cel")
            .or("degC", SAME)
            .or("C", SAME)
            .or("degF", fahrenheit)
            .or("F", fahrenheit)
            .or("K", v -> v - 273.15));
    m.put("humidity", units("%RH").or("%", SAME));
    m.put("level", units("m").or("cm", v -> v / 100).or("mm", v -> v / 1000));
    m.put("rain", units("mm").or("cm", v -> v * 10));
    Units flow = units("m3/h").or("m3/s", v -> v * 3600).or("L/s", v -> v * 3.6);
    m.put("flow_in", flow);
    m.put("flow_out", flow);
    m.put("ph", units("pH").or("1", SAME).or("/", SAME).or("-", SAME));
    Units concentration = units("mg/L").or("g/m3", SAME).or("ug/L", v -> v / 1000);
    for (String metric : List.of("cod", "tss", "nh4", "bod5", "total_n", "total_p")) {
      m.put(metric, concentration);
    }
    // True colour on the platinum-cobalt scale: 1 Pt-Co unit = 1 Hazen = 1 mg/L Pt.
    m.put("color", units("Pt-Co").or("Pt/Co", SAME).or("PCU", SAME).or("Hazen", SAME));
    Units ratio = units("/").or("1", SAME).or("-", SAME);
    m.put("status", ratio);
    m.put("pf", ratio);
    m.put("on", ratio);
    m.put("voltage", units("V").or("kV", v -> v * 1000));
    m.put("current", units("A").or("mA", v -> v / 1000));
    m.put("power", units("kW").or("W", v -> v / 1000).or("MW", v -> v * 1000));
    m.put(
        "energy",
        units("kWh").or("Wh", v -> v / 1000).or("MWh", v -> v * 1000).or("J", v -> v / 3.6e6));
    m.put("frequency", units("Hz"));
    m.put("laeq", units("dBA").or("dB(A)", SAME).or("dB", SAME));
    m.put("wind_speed", units("m/s").or("km/h", v -> v / 3.6));
    m.put("wind_dir", units("deg").or("rad", Math::toDegrees));
    m.put("pressure", units("hPa").or("Pa", v -> v / 100).or("kPa", v -> v * 10));
    return Map.copyOf(m);
  }

  /** A gas in µg/m³ that also converts from mg/m³, ppm and ppb by its molar mass. */
  private static Units gas(double molarMassGramsPerMole) {
    double perPpm = molarMassGramsPerMole * 1000 / MOLAR_VOLUME_LITRES;
    return units("ug/m3")
        .or("mg/m3", v -> v * 1000)
        .or("ppm", v -> v * perPpm)
        .or("ppb", v -> v * perPpm / 1000);
  }

  private static Units units(String canonical) {
    Map<String, DoubleUnaryOperator> accepted = new LinkedHashMap<>();
    accepted.put(normalise(canonical), SAME);
    return new Units(canonical, accepted);
  }
}
