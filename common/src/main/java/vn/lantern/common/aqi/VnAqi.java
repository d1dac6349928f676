package vn.lantern.common.aqi;

import java.util.EnumMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * Vietnam's air quality index, VN_AQI, as defined by Decision 1459/QD-TCMT (2019): a sub-index per
 * pollutant by linear interpolation between breakpoints, the hourly AQI being the highest
 * sub-index; particulates (PM2.5, PM10) enter as a NowCast of the last 12 hourly means. The KPI
 * engine and the rules engine both compute it here, so an alert and the KPI beside it agree.
 */
public final class VnAqi {
  /** Hours of hourly means a NowCast weighs; c1 is the latest. */
  public static final int NOWCAST_HOURS = 12;

  /** One hour in milliseconds: hourly means are taken over UTC hours, as InfluxDB groups them. */
  public static final long HOUR_MS = 3_600_000L;

  /** Hourly means an O3 8-hour mean needs (three quarters of its hours). */
  public static final int O3_8H_MIN_HOURS = 6;

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
   * The hourly AQI of the hour starting at {@code hour}: particulates by NowCast over the 12 hourly
   * means ending with it, gases by its own mean.
   *
   * @param means hourly means by hour start (epoch ms); O3 is keyed {@link AqiPollutant#O3_1H}
   */
  public static Optional<Result> hourlyAt(
      NavigableMap<Long, Map<AqiPollutant, Double>> means, long hour) {
    Map<AqiPollutant, Double> values = new EnumMap<>(AqiPollutant.class);
    Map<AqiPollutant, Double> thisHour = means.getOrDefault(hour, Map.of());
    for (AqiPollutant p : AqiPollutant.MEASURED) {
      if (p.usesNowCast()) {
        double[] hours = new double[NOWCAST_HOURS];
        for (int i = 0; i < hours.length; i++) {
          Double c = means.getOrDefault(hour - i * HOUR_MS, Map.of()).get(p);
          hours[i] = c == null ? Double.NaN : c;
        }
        OptionalDouble nowCast = nowCast(hours);
        if (nowCast.isPresent()) {
          values.put(p, nowCast.getAsDouble());
        }
      } else if (thisHour.containsKey(p)) {
        values.put(p, thisHour.get(p));
      }
    }
    return hourly(values);
  }

  /**
   * The daily AQI of Decision 1459/QD-TCMT §2.2.2 over the hours starting in {@code [dayStart,
   * dayEnd)}: PM2.5 and PM10 by the mean of the day's hourly means, CO, SO2, NO2 and O3 by their
   * highest hourly mean, and O3 also by its highest 8-hour moving mean (each ending at an hour of
   * the day, so the first ones reach into the day before); above the O3 8-hour table the 1-hour
   * value governs. An 8-hour mean needs {@value #O3_8H_MIN_HOURS} of its 8 hours.
   *
   * @param means hourly means by hour start (epoch ms), including the 7 hours before the day
   * @param dayEnd the end of the day, or of the hours seen so far for the day in progress
   * @return empty unless the day has a PM2.5 or PM10 mean
   */
  public static Optional<Result> daily(
      NavigableMap<Long, Map<AqiPollutant, Double>> means, long dayStart, long dayEnd) {
    Map<AqiPollutant, Double> values = new EnumMap<>(AqiPollutant.class);
    NavigableMap<Long, Map<AqiPollutant, Double>> day = means.subMap(dayStart, true, dayEnd, false);
    for (AqiPollutant p : AqiPollutant.MEASURED) {
      double sum = 0;
      double max = Double.NEGATIVE_INFINITY;
      int n = 0;
      for (Map<AqiPollutant, Double> hour : day.values()) {
        Double c = hour.get(p);
        if (c != null) {
          sum += c;
          max = Math.max(max, c);
          n++;
        }
      }
      if (n > 0) {
        values.put(p, p.usesNowCast() ? sum / n : max);
      }
    }
    OptionalDouble o3 = highestEightHourMean(means, day.navigableKeySet());
    if (o3.isPresent()) {
      values.put(AqiPollutant.O3_8H, o3.getAsDouble());
    }
    return highest(values);
  }

  private static OptionalDouble highestEightHourMean(
      NavigableMap<Long, Map<AqiPollutant, Double>> means, Iterable<Long> endingHours) {
    double best = Double.NaN;
    for (long end : endingHours) {
      double sum = 0;
      int n = 0;
      for (int i = 0; i < 8; i++) {
        Double c = means.getOrDefault(end - i * HOUR_MS, Map.of()).get(AqiPollutant.O3_1H);
        if (c != null) {
          sum += c;
          n++;
        }
      }
      if (n >= O3_8H_MIN_HOURS && !(sum / n <= best)) {
        best = sum / n;
      }
    }
    return Double.isNaN(best) ? OptionalDouble.empty() : OptionalDouble.of(best);
  }

  /**
   * The hourly AQI from each pollutant's hourly value (NowCast for particulates, 1-hour mean for
   * gases).
   *
   * @return empty unless PM2.5 or PM10 is present, as the Decision requires
   */
  public static Optional<Result> hourly(Map<AqiPollutant, Double> values) {
    return highest(values);
  }

  /** The highest sub-index of the values, with its pollutant; empty without PM2.5 or PM10. */
  static Optional<Result> highest(Map<AqiPollutant, Double> values) {
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
