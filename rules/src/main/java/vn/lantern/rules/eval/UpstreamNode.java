package vn.lantern.rules.eval;

import vn.lantern.rules.rule.Condition;
import vn.lantern.rules.rule.FloodBulletin;
import vn.lantern.rules.rule.Severity;

/**
 * State of a {@link Condition.Upstream} condition for one upstream gauge: its alarm levels (a
 * {@link LevelsNode}, as the station's own alert judges them) and its rate of rise (a {@link
 * ConditionNode.RateNode}). Holds while either does, so the downstream warning is raised by the
 * first of the two and resolved only once the upstream level is back below BĐ1 and no longer rising
 * fast.
 */
final class UpstreamNode extends ConditionNode {
  private final Condition.Upstream condition;
  private final LevelsNode levels;
  private final RateNode rise;
  private final double perHour;
  private boolean atLevel;
  private boolean rising;

  UpstreamNode(Condition.Upstream condition, RateNode rise) {
    this.condition = condition;
    this.levels = new LevelsNode(condition.levels(), null);
    this.rise = rise;
    this.perHour = 3_600_000.0 / condition.rise().per().toMillis();
  }

  @Override
  public void onReading(String metric, double value, long ts, long now) {
    levels.onReading(metric, value, ts, now);
    rise.onReading(metric, value, ts, now);
  }

  @Override
  public void replay(String metric, double value, long ts) {
    levels.replay(metric, value, ts);
    rise.replay(metric, value, ts);
  }

  @Override
  public void onTick(long now) {
    levels.onTick(now);
    rise.onTick(now);
  }

  @Override
  public long nextDue(long after) {
    return Math.min(levels.nextDue(after), rise.nextDue(after));
  }

  @Override
  public boolean satisfied(long now) {
    atLevel = levels.satisfied(now);
    rising = rise.satisfied(now);
    return atLevel || rising;
  }

  @Override
  public double value() {
    return levels.value();
  }

  @Override
  public void assumeActive(long since) {
    levels.assumeActive(since);
  }

  /** The upstream level's severity; the rule's while only rising fast (or if that is higher). */
  @Override
  public Severity severity(Severity ruleSeverity) {
    Severity level = levels.severity(ruleSeverity);
    if (!atLevel) {
      return ruleSeverity;
    }
    return rising && ruleSeverity.compareTo(level) > 0 ? ruleSeverity : level;
  }

  @Override
  public String detail() {
    if (Double.isNaN(levels.value())) {
      return null;
    }
    return FloodBulletin.upstream(
        condition.levels().station(),
        condition.levels().levels(),
        levels.value(),
        rise.value() * perHour,
        condition.downstream());
  }

  @Override
  public void release() {
    levels.release();
    rise.release();
  }
}
