package vn.lantern.rules.eval;

import java.time.Duration;

/**
 * How long and how full rule windows may be.
 *
 * @param maxHours the longest window (sliding or tumbling) a rule may set; longer is refused when
 *     the rule is saved (400 naming the field)
 * @param maxPointsPerWindow most points one window (one rule on one device) holds; beyond, the
 *     oldest point makes room
 * @param maxPoints most points all windows of the engine hold together (about 24 bytes a point);
 *     beyond, a window keeps sliding only by dropping its own oldest point. Each dry run has a
 *     budget of this size of its own
 */
public record WindowLimits(int maxHours, int maxPointsPerWindow, long maxPoints) {

  /** The documented defaults: 7 days, 10,000 points a window, 2,000,000 in all. */
  public static WindowLimits defaults() {
    return new WindowLimits(168, 10_000, 2_000_000);
  }

  /** The longest window a rule may set. */
  public Duration maxLength() {
    return Duration.ofHours(maxHours);
  }

  /** A fresh budget with these caps. */
  public WindowBudget budget() {
    return new WindowBudget(maxPointsPerWindow, maxPoints);
  }
}
