package vn.lantern.rules.eval;

import java.util.List;
import vn.lantern.rules.rule.Condition;
import vn.lantern.rules.rule.FloodBulletin;
import vn.lantern.rules.rule.Severity;

/**
 * State of a {@link Condition.Levels} condition for one gauge: one latch per alarm level (entered
 * at the level, left {@code hysteresis} below it), and the highest level whose latch has held for
 * {@code holdFor}. One alert follows the river up and down through BĐ1–BĐ3 instead of one alert per
 * level.
 */
final class LevelsNode extends ConditionNode {
  private final String metric;
  private final List<Condition.Level> levels;
  private final double hysteresis;
  private final long holdMs;
  private final Condition.Station station;
  private final boolean[] active;
  private final long[] since;

  /** The highest level reached at the last {@link #satisfied} evaluation, or -1. */
  private int reached = -1;

  private double value = Double.NaN;
  private boolean live;

  LevelsNode(Condition.Levels condition) {
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
      apply(v, ts);
    }
  }

  @Override
  public void replay(String m, double v, long ts) {
    if (!live && metric.equals(m)) {
      apply(v, ts);
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
    long due = Long.MAX_VALUE;
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

  @Override
  public String detail() {
    return station == null || Double.isNaN(value)
        ? null
        : FloodBulletin.text(station, levels, value);
  }
}
