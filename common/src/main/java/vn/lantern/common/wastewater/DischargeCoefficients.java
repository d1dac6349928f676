package vn.lantern.common.wastewater;

import java.util.Locale;
import java.util.Set;

/**
 * The coefficients of QCVN 40:2011/BTNMT §2.3–2.4 that turn a column's value C into the limit of
 * one outlet, Cmax = C × Kq × Kf: Kq from the receiving water body, Kf from the plant's wastewater
 * flow. Temperature, pH, colour and coliforms take Kq = Kf = 1. Shared by the rules seeded for a
 * site and the compliance KPI, so both judge the same Cmax.
 *
 * @param receiving the water body the outlet discharges into
 * @param flowM3PerDay the plant's wastewater flow F, m³ per 24 h
 */
public record DischargeCoefficients(ReceivingWater receiving, double flowM3PerDay) {

  /** Parameters whose limit is C itself (Kq = Kf = 1), by metric name. */
  public static final Set<String> UNSCALED = Set.of("temperature", "ph", "color", "coliform");

  /** Kinds of receiving water. */
  public enum WaterBody {
    RIVER,
    LAKE,
    COASTAL;

    /** Parses {@code river}, {@code lake} (lakes and reservoirs) or {@code coastal}. */
    public static WaterBody parse(String text) {
      return valueOf(text.trim().toUpperCase(Locale.ROOT));
    }
  }

  /**
   * The receiving water body.
   *
   * @param type river, lake (or reservoir) or coastal water
   * @param flowM3s a river's flow Q, m³/s (rivers only)
   * @param volumeM3 a lake's or reservoir's volume V, m³ (lakes only)
   * @param protectedUse coastal water used to protect aquatic life, for swimming or recreation
   */
  public record ReceivingWater(
      WaterBody type, double flowM3s, double volumeM3, boolean protectedUse) {
    public ReceivingWater {
      if (type == WaterBody.RIVER && !(flowM3s >= 0)) {
        throw new IllegalArgumentException("a river needs its flow Q in m³/s");
      }
      if (type == WaterBody.LAKE && !(volumeM3 >= 0)) {
        throw new IllegalArgumentException("a lake needs its volume V in m³");
      }
    }
  }

  public DischargeCoefficients {
    if (!(flowM3PerDay >= 0)) {
      throw new IllegalArgumentException("the plant's flow F must be ≥ 0 m³/24h");
    }
  }

  /** Kq of the receiving water (§2.3). */
  public double kq() {
    return switch (receiving.type()) {
      case RIVER -> {
        double q = receiving.flowM3s();
        yield q <= 50 ? 0.9 : q <= 200 ? 1.0 : q <= 500 ? 1.1 : 1.2;
      }
      case LAKE -> {
        double v = receiving.volumeM3();
        yield v <= 10e6 ? 0.6 : v <= 100e6 ? 0.8 : 1.0;
      }
      case COASTAL -> receiving.protectedUse() ? 1.0 : 1.3;
    };
  }

  /** Kf of the plant's flow (§2.4). */
  public double kf() {
    double f = flowM3PerDay;
    return f <= 50 ? 1.2 : f <= 500 ? 1.1 : f <= 5000 ? 1.0 : 0.9;
  }

  /** The factor on C of a parameter: Kq × Kf, or 1 for the unscaled ones. */
  public double factor(String metric) {
    return UNSCALED.contains(metric) ? 1 : kq() * kf();
  }

  /** Cmax of a parameter whose column value is {@code c}, rounded to 3 decimals. */
  public double cmax(String metric, double c) {
    return Math.round(c * factor(metric) * 1000) / 1000.0;
  }
}
