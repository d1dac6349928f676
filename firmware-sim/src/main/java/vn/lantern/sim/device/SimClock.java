package vn.lantern.sim.device;

import java.time.Duration;
import java.time.Instant;

/**
 * Scenario time. Live: scenario time runs {@code speed} times faster than the wall clock from
 * {@code start}. Backfill: the whole period up to {@code end} is already due, and devices send as
 * fast as the node acknowledges.
 */
public final class SimClock {
  private final Instant start;
  private final double speed;
  private final long wallStartNanos;
  private final Instant wallStart;
  private final Instant backfillEnd;

  private SimClock(Instant start, double speed, Instant backfillEnd) {
    this.start = start;
    this.speed = speed;
    this.wallStartNanos = System.nanoTime();
    this.wallStart = Instant.now();
    this.backfillEnd = backfillEnd;
  }

  /** Scenario time starting at {@code start} and running {@code speed}× real time. */
  public static SimClock live(Instant start, double speed) {
    if (!(speed > 0)) {
      throw new IllegalArgumentException("speed must be positive");
    }
    return new SimClock(start, speed, null);
  }

  /** A past period sent as fast as it is acknowledged. */
  public static SimClock backfill(Instant from, Instant to) {
    if (!to.isAfter(from)) {
      throw new IllegalArgumentException("backfill end must be after its start");
    }
    return new SimClock(from, Double.POSITIVE_INFINITY, to);
  }

  /** The scenario's start. */
  public Instant start() {
    return start;
  }

  public boolean isBackfill() {
    return backfillEnd != null;
  }

  /** Scenario time now. */
  public Instant now() {
    if (backfillEnd != null) {
      return backfillEnd;
    }
    long wallNanos = System.nanoTime() - wallStartNanos;
    return start.plusNanos((long) (wallNanos * speed));
  }

  /**
   * The scenario time a live clock showed at a wall-clock instant (e.g. when the node stamped an
   * alert); a backfill has no such mapping and answers {@code null}.
   */
  public Instant scenarioTimeAt(Instant wall) {
    if (backfillEnd != null) {
      return null;
    }
    return start.plusNanos((long) (Duration.between(wallStart, wall).toNanos() * speed));
  }

  /** How much scenario time passes in {@code wallSpan} of a live clock (backfill: zero). */
  public Duration scenarioTimeFor(Duration wallSpan) {
    if (backfillEnd != null) {
      return Duration.ZERO;
    }
    return Duration.ofNanos((long) (wallSpan.toNanos() * speed));
  }

  /** How long {@code scenarioSpan} of scenario time takes on the wall clock (backfill: zero). */
  public Duration wallTimeFor(Duration scenarioSpan) {
    if (backfillEnd != null) {
      return Duration.ZERO;
    }
    return Duration.ofNanos((long) (scenarioSpan.toNanos() / speed));
  }
}
