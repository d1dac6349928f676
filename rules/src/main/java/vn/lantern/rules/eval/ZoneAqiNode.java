package vn.lantern.rules.eval;

import java.util.HashMap;
import java.util.Map;
import vn.lantern.common.aqi.VnAqi;
import vn.lantern.common.telemetry.DeviceRef;
import vn.lantern.rules.rule.Condition;
import vn.lantern.rules.rule.Severity;

/**
 * State of a {@link Condition.ZoneAqi} condition for one zone: an {@link AqiNode} per air-quality
 * station of the zone (the hourly VN_AQI each station's own alert computes), and a {@link
 * LevelsNode} over the worst of them, so the zone has ONE alert escalating through the bands and
 * naming the station that sets it. Fed by every device of the zone, each batch announced by {@link
 * #from}.
 */
final class ZoneAqiNode extends ConditionNode {
  private final Condition.Aqi perStation;
  private final LevelsNode levels;
  private final long staleMs = Condition.ZoneAqi.STALE.toMillis();
  private final Map<String, Station> stations = new HashMap<>();
  private Station current;
  private Station worst;

  /** One station's AQI state and the timestamp of its newest pollutant reading. */
  private static final class Station {
    final AqiNode aqi;
    String site;
    long newest = Long.MIN_VALUE;

    Station(AqiNode aqi, String site) {
      this.aqi = aqi;
      this.site = site;
    }
  }

  ZoneAqiNode(Condition.ZoneAqi condition) {
    this.perStation = new Condition.Aqi(condition.levels());
    this.levels = new LevelsNode(condition.levels(), null);
  }

  @Override
  public void from(DeviceRef device) {
    current =
        stations.computeIfAbsent(device.id(), id -> new Station(new AqiNode(perStation), null));
    current.site = device.site();
  }

  @Override
  public void onReading(String metric, double value, long ts, long now) {
    if (current == null) {
      return;
    }
    double before = current.aqi.value();
    current.aqi.onReading(metric, value, ts, now);
    if (fed(before, ts)) {
      levels.onReading(Condition.Aqi.METRIC, worst.aqi.value(), ts, now);
    }
  }

  @Override
  public void replay(String metric, double value, long ts) {
    if (current == null) {
      return;
    }
    double before = current.aqi.value();
    current.aqi.replay(metric, value, ts);
    if (fed(before, ts)) {
      levels.replay(Condition.Aqi.METRIC, worst.aqi.value(), ts);
    }
  }

  /**
   * Notes the current station's reading at {@code ts} and picks the worst station still reporting;
   * true when there is one and the reading was a pollutant's (its AQI may have changed).
   */
  private boolean fed(double before, long ts) {
    double after = current.aqi.value();
    if (Double.isNaN(after) && Double.isNaN(before)) {
      return false;
    }
    current.newest = Math.max(current.newest, ts);
    long newest = Long.MIN_VALUE;
    for (Station s : stations.values()) {
      newest = Math.max(newest, s.newest);
    }
    worst = null;
    for (Station s : stations.values()) {
      if (!Double.isNaN(s.aqi.value())
          && s.newest >= newest - staleMs
          && (worst == null || s.aqi.value() > worst.aqi.value())) {
        worst = s;
      }
    }
    return worst != null;
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
    return levels.value();
  }

  @Override
  public void assumeActive(long since) {
    levels.assumeActive(since);
  }

  @Override
  public Severity severity(Severity ruleSeverity) {
    return levels.severity(ruleSeverity);
  }

  /**
   * E.g. {@code VN_AQI 163: Xấu / Bad; trạm / station: Trạm Hội An; chất ô nhiễm chính / dominant
   * pollutant: PM2.5}.
   */
  @Override
  public String detail() {
    VnAqi.Result result = worst == null ? null : worst.aqi.result();
    return result == null ? null : AqiNode.describe(result, worst.site);
  }
}
