package vn.lantern.rules.eval;

import java.util.EnumMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import vn.lantern.common.aqi.AqiPollutant;
import vn.lantern.common.aqi.VnAqi;
import vn.lantern.rules.rule.Condition;
import vn.lantern.rules.rule.Severity;

/**
 * State of a {@link Condition.Aqi} condition for one station's analyser: the hourly means of its
 * pollutant readings over the last 12 hours (UTC hours, as the AQI KPI groups them), the hourly
 * VN_AQI of the newest hour computed from them by {@link VnAqi#hourlyAt}, and a {@link LevelsNode}
 * that turns that AQI into one alert escalating through the band limits. Holds at most 12 hours × 6
 * pollutants of sums, whatever the reading rate.
 */
final class AqiNode extends ConditionNode {
  private static final int POLLUTANTS = AqiPollutant.MEASURED.size();

  private final LevelsNode levels;

  /** Per hour start: the sum and the count of each measured pollutant's readings. */
  private final TreeMap<Long, double[]> hours = new TreeMap<>();

  private VnAqi.Result result;
  private boolean live;

  AqiNode(Condition.Aqi condition) {
    this.levels = new LevelsNode(condition.levels(), null);
  }

  @Override
  public void onReading(String metric, double value, long ts, long now) {
    if (add(metric, value, ts)) {
      live = true;
      if (result != null) {
        levels.onReading(Condition.Aqi.METRIC, result.aqi(), ts, now);
      }
    }
  }

  @Override
  public void replay(String metric, double value, long ts) {
    if (!live && add(metric, value, ts) && result != null) {
      levels.replay(Condition.Aqi.METRIC, result.aqi(), ts);
    }
  }

  /** Adds a reading to its hour and recomputes the AQI; false if it is no AQI pollutant. */
  private boolean add(String metric, double value, long ts) {
    var pollutant = AqiPollutant.ofMetric(metric);
    if (pollutant.isEmpty()) {
      return false;
    }
    long hour = ts - Math.floorMod(ts, VnAqi.HOUR_MS);
    long oldestKept = newestHour() - (VnAqi.NOWCAST_HOURS - 1) * VnAqi.HOUR_MS;
    if (hour < oldestKept) {
      return false; // too late to count in any NowCast still to come
    }
    double[] sums = hours.computeIfAbsent(hour, h -> new double[2 * POLLUTANTS]);
    int i = AqiPollutant.MEASURED.indexOf(pollutant.get());
    sums[2 * i] += value;
    sums[2 * i + 1]++;
    long newest = newestHour();
    hours.headMap(newest - (VnAqi.NOWCAST_HOURS - 1) * VnAqi.HOUR_MS).clear();
    result = VnAqi.hourlyAt(means(), newest).orElse(null);
    return true;
  }

  private long newestHour() {
    return hours.isEmpty() ? Long.MIN_VALUE / 2 : hours.lastKey();
  }

  private NavigableMap<Long, Map<AqiPollutant, Double>> means() {
    NavigableMap<Long, Map<AqiPollutant, Double>> means = new TreeMap<>();
    hours.forEach(
        (hour, sums) -> {
          Map<AqiPollutant, Double> hourMeans = new EnumMap<>(AqiPollutant.class);
          for (int i = 0; i < POLLUTANTS; i++) {
            if (sums[2 * i + 1] > 0) {
              hourMeans.put(AqiPollutant.MEASURED.get(i), sums[2 * i] / sums[2 * i + 1]);
            }
          }
          means.put(hour, hourMeans);
        });
    return means;
  }

  /** The station's hourly AQI as last computed, or null before its first complete hour. */
  VnAqi.Result result() {
    return result;
  }

  @Override
  public boolean satisfied(long now) {
    return levels.satisfied(now);
  }

  @Override
  public long nextDue(long after) {
    return levels.nextDue(after);
  }

  @Override
  public double value() {
    return result == null ? Double.NaN : result.aqi();
  }

  @Override
  public void assumeActive(long since) {
    levels.assumeActive(since);
  }

  @Override
  public Severity severity(Severity ruleSeverity) {
    return levels.severity(ruleSeverity);
  }

  /** E.g. {@code VN_AQI 163: Xấu / Bad; chất ô nhiễm chính / dominant pollutant: PM2.5}. */
  @Override
  public String detail() {
    return result == null ? null : describe(result, null);
  }

  /** The alert detail of an AQI value, naming the station when one is given (a zone-wide alert). */
  static String describe(VnAqi.Result result, String station) {
    return "VN_AQI "
        + result.aqi()
        + ": "
        + result.band().nameVi()
        + " / "
        + result.band().nameEn()
        + (station == null ? "" : "; trạm / station: " + station)
        + "; chất ô nhiễm chính / dominant pollutant: "
        + result.dominant().displayName();
  }
}
