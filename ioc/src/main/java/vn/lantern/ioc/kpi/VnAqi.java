package vn.lantern.ioc.kpi;

import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * Vietnam's air quality index, VN_AQI, as defined by Decision 1459/QD-TCMT (2019): a sub-index per
 * pollutant by linear interpolation between breakpoints, the hourly AQI being the highest
 * sub-index; particulates (PM2.5, PM10) enter as a NowCast of the last 12 hourly means.
 */
public final class VnAqi {
  /** Hours of hourly means a NowCast weighs; c1 is the latest. */
  public static final int NOWCAST_HOURS = 12;

  private VnAqi() {}

  /** The hourly AQI with its band and dominant pollutant. */
  public record Result(int aqi, AqiBand band, AqiPollutant dominant) {}

  /**
   * The sub-index of one pollutant: AQI_x = (I_{i+1} − I_i) / (BP_{i+1} − BP_i) × (C_x − BP_i) +
   * I_i, unrounded. Concentrations beyond the last breakpoint are capped at 500; for O3 8-hour,
   * beyond 400 µg/m³ the Decision has no 8-hour index (the 1-hour index applies), so it is empty.
   */
  public static OptionalDouble subIndex(AqiPollutant pollutant, double concentration) {
    if (!Double.isFinite(concentration) || concentration < 0) {
      return OptionalDouble.empty();
    }
    double[] bp = pollutant.breakpoints();
    for (int i = 0; i < bp.length - 1; i++) {
      if (concentration < bp[i + 1]) {
        int iLow = AqiPollutant.INDEX[i];
        int iHigh = AqiPollutant.INDEX[i + 1];
        return OptionalDouble.of(
            (iHigh - iLow) / (bp[i + 1] - bp[i]) * (concentration - bp[i]) + iLow);
      }
    }
    if (pollutant == AqiPollutant.O3_8H) {
      return OptionalDouble.empty();
    }
    return OptionalDouble.of(500);
  }

  /**
   * NowCast of hourly means: w* = c_min / c_max; w = max(w*, 0.5); NowCast = Σ w^(i−1)·c_i / Σ
   * w^(i−1) over the hours present (a missing hour weighs 0).
   *
   * @param hourlyMeans up to 12 hourly means, index 0 the latest hour (c1); {@code NaN} marks a
   *     missing hour
   * @return empty unless at least 2 of the 3 latest hours are present
   */
  public static OptionalDouble nowCast(double[] hourlyMeans) {
    int n = Math.min(hourlyMeans.length, NOWCAST_HOURS);
    int recent = 0;
    for (int i = 0; i < Math.min(3, n); i++) {
      if (!Double.isNaN(hourlyMeans[i])) {
        recent++;
      }
    }
    if (recent < 2) {
      return OptionalDouble.empty();
    }
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < n; i++) {
      double c = hourlyMeans[i];
      if (!Double.isNaN(c)) {
        min = Math.min(min, c);
        max = Math.max(max, c);
      }
    }
    double w = max <= 0 ? 1 : Math.max(min / max, 0.5);
    double weighted = 0;
    double weights = 0;
    double factor = 1;
    for (int i = 0; i < n; i++) {
      double c = hourlyMeans[i];
      if (!Double.isNaN(c)) {
        weighted += factor * c;
        weights += factor;
      }
      factor *= w;
    }
    return OptionalDouble.of(weighted / weights);
  }

  /**
   * The hourly AQI from each pollutant's hourly value (NowCast for particulates, 1-hour mean for
   * gases).
   *
   * @return empty unless PM2.5 or PM10 is present, as the Decision requires
   */
  public static Optional<Result> hourly(Map<AqiPollutant, Double> values) {
    if (!values.containsKey(AqiPollutant.PM25) && !values.containsKey(AqiPollutant.PM10)) {
      return Optional.empty();
    }
    double best = -1;
    AqiPollutant dominant = null;
    for (Map.Entry<AqiPollutant, Double> entry : values.entrySet()) {
      OptionalDouble index = subIndex(entry.getKey(), entry.getValue());
      if (index.isPresent() && index.getAsDouble() > best) {
        best = index.getAsDouble();
        dominant = entry.getKey();
      }
    }
    if (dominant == null) {
      return Optional.empty();
    }
    int aqi = (int) Math.round(best);
    return Optional.of(new Result(aqi, AqiBand.of(aqi), dominant));
  }

  /** The zone's AQI: its worst station. */
  public static OptionalInt zone(Iterable<Result> stations) {
    int worst = -1;
    for (Result station : stations) {
      worst = Math.max(worst, station.aqi());
    }
    return worst < 0 ? OptionalInt.empty() : OptionalInt.of(worst);
  }
}
