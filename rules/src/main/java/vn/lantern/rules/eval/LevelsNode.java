package vn.lantern.rules.eval;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import vn.lantern.rules.rule.Condition;
import vn.lantern.rules.rule.Durations;
import vn.lantern.rules.rule.FloodBulletin;
import vn.lantern.rules.rule.Severity;

/**
 * State of a {@link Condition.Levels} condition for one gauge: one latch per alarm level (entered
 * at the level, left {@code hysteresis} below it), and the highest level whose latch has held for
 * {@code holdFor}. One alert follows the river up and down through BĐ1–BĐ3 instead of one alert per
 * level. With a {@code window}, the levels apply to the metric's sum over that sliding window
 * (24-hour rain against 100/200/400 mm), re-evaluated as readings leave it.
 */
final class LevelsNode extends ConditionNode {
  private final String metric;
  private final List<Condition.Level> levels;
  private final double hysteresis;
  private final long holdMs;
  private final Condition.Station station;
  private final boolean[] active;
  private final long[] since;
  private final long windowMs;
  private final SlidingWindow window;

  /** The highest level reached at the last {@link #satisfied} evaluation, or -1. */
  private int reached = -1;

  private double value = Double.NaN;
  private boolean live;

  /**
   * @param budget holds the window's points; unused (may be null) without a window
   */
  LevelsNode(Condition.Levels condition, WindowBudget budget) {
    this.windowMs = condition.window() == null ? 0 : condition.window().toMillis();
    this.window = condition.window() == null ? null : new SlidingWindow(windowMs, budget);
    this.metric = condition.metric();
    this.levels = condition.levels();
    this.hysteresis = condition.hysteresis();
    this.holdMs = condition.holdFor().toMillis();
    this.station = condition.station();
    this.active = new boolean[levels.size()];
    this.since = new long[levels.size()];
  }

  @Override
  public void onReading(String m, double v, long ts, long now) {
    if (metric.equals(m)) {
      live = true;
      if (window == null) {
        apply(v, ts);
      } else {
        window.add(ts, v);
        window.evict(window.newest() - windowMs);
        apply(window.aggregate(Condition.Function.SUM), ts);
      }
    }
  }

  @Override
  public void replay(String m, double v, long ts) {
    if (!live && metric.equals(m)) {
      if (window == null) {
        apply(v, ts);
      } else {
        window.add(ts, v);
      }
    }
  }

  @Override
  public void onTick(long now) {
    if (window != null && window.evict(now - windowMs)) {
      apply(window.size() == 0 ? 0 : window.aggregate(Condition.Function.SUM), now);
    }
  }

  @Override
  public void release() {
    if (window != null) {
      window.release();
    }
  }

  private void apply(double v, long ts) {
    value = v;
    for (int i = 0; i < levels.size(); i++) {
      double level = levels.get(i).value();
      if (!active[i] && v >= level) {
        active[i] = true;
        since[i] = ts;
      } else if (active[i] && v < level - hysteresis) {
        active[i] = false;
      }
    }
  }

  @Override
  public boolean satisfied(long now) {
    reached = -1;
    for (int i = 0; i < levels.size(); i++) {
      if (active[i] && now - since[i] >= holdMs) {
        reached = i;
      }
    }
    return reached >= 0;
  }

  @Override
  public long nextDue(long after) {
    long due =
        window == null || window.size() == 0
            ? Long.MAX_VALUE
            : after(window.oldest() + windowMs, after);
    if (holdMs > 0) {
      for (int i = 0; i < levels.size(); i++) {
        if (active[i]) {
          due = Math.min(due, after(since[i] + holdMs, after));
        }
      }
    }
    return due;
  }

  @Override
  public double value() {
    return value;
  }

  @Override
  public void assumeActive(long since) {
    if (!active[0]) {
      active[0] = true;
      this.since[0] = since - holdMs;
    }
  }

  /** The severity of the level reached when {@link #satisfied} was last asked. */
  @Override
  public Severity severity(Severity ruleSeverity) {
    return reached >= 0 ? levels.get(reached).severity() : ruleSeverity;
  }

  /**
   * The bulletin line of a station's gauge; for a windowed sum, e.g. {@code rain Σ 24h = 215.0 mm:
   * Cấp độ 2 (≥ 200 mm/24 h)}.
   */
  @Override
  public String detail() {
    if (Double.isNaN(value)) {
      return null;
    }
    if (station != null) {
      return FloodBulletin.text(station, levels, value);
    }
    if (window == null) {
      return null;
    }
    int at = -1;
    for (int i = 0; i < levels.size(); i++) {
      if (active[i]) {
        at = i;
      }
    }
    return String.format(
        Locale.ROOT,
        "%s Σ %s = %.1f: %s",
        metric,
        windowMs % 3_600_000 == 0
            ? windowMs / 3_600_000 + "h" // 24h, as rain totals are named, not 1d
            : Durations.format(Duration.ofMillis(windowMs)),
        value,
        at >= 0 ? levels.get(at).name() : "dưới / below " + levels.get(0).name());
  }
}
