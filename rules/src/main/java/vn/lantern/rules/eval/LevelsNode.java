package vn.lantern.rules.eval;

import java.util.List;
import vn.lantern.rules.rule.Condition;
import vn.lantern.rules.rule.FloodBulletin;
import vn.lantern.rules.rule.Severity;

/**
 * State of a {@link Condition.Levels} condition for one gauge: the highest alarm level reached,
 * rising at once and falling only {@code hysteresis} below a level, so one alert follows the river
 * up and down through BĐ1–BĐ3 instead of one alert per level.
 */
final class LevelsNode extends ConditionNode {
  private final String metric;
  private final List<Condition.Level> levels;
  private final double hysteresis;
  private final Condition.Station station;
  private int reached = -1;
  private double value = Double.NaN;
  private boolean live;

  LevelsNode(Condition.Levels condition) {
    this.metric = condition.metric();
    this.levels = condition.levels();
    this.hysteresis = condition.hysteresis();
    this.station = condition.station();
  }

  @Override
  public void onReading(String m, double v, long ts, long now) {
    if (metric.equals(m)) {
      live = true;
      apply(v);
    }
  }

  @Override
  public void replay(String m, double v, long ts) {
    if (!live && metric.equals(m)) {
      apply(v);
    }
  }

  private void apply(double v) {
    value = v;
    int above = -1;
    for (int i = 0; i < levels.size(); i++) {
      if (v >= levels.get(i).value()) {
        above = i;
      }
    }
    if (above > reached) {
      reached = above;
      return;
    }
    while (reached >= 0 && v < levels.get(reached).value() - hysteresis) {
      reached--;
    }
  }

  @Override
  public boolean satisfied(long now) {
    return reached >= 0;
  }

  @Override
  public double value() {
    return value;
  }

  @Override
  public void assumeActive(long since) {
    reached = Math.max(reached, 0);
  }

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
