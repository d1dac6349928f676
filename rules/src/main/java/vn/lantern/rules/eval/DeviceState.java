package vn.lantern.rules.eval;

import vn.lantern.common.telemetry.DeviceRef;
import vn.lantern.rules.rule.Rule;
import vn.lantern.rules.rule.Severity;

/**
 * One rule evaluated on one device, in data time: the condition's state, whether it holds, and the
 * clock it has been evaluated up to. The live engine and the dry run drive the same instances the
 * same way (each reading at its own timestamp, each deadline at its exact instant), so a dry run
 * over stored readings raises exactly the alerts the engine raised or would raise on them. Not
 * thread-safe: confined to the engine's event loop, or to one dry run.
 */
final class DeviceState {
  /** A re-fire within this time of the last clear counts as a flap. */
  static final long FLAP_WINDOW_MS = 3_600_000;

  /** A bound on deadlines handled in one advance, so a pathological rule cannot stall a loop. */
  private static final int MAX_DUES_PER_ADVANCE = 1_000_000;

  /** Where the transitions go: the alert service live, a result list in a dry run. */
  interface Transitions {
    void fired(DeviceState state, long at);

    void cleared(DeviceState state, long at);

    /** The open alert's severity changes with the condition (a gauge between alarm levels). */
    default void regraded(DeviceState state, Severity to, long at) {}
  }

  final Rule rule;
  DeviceRef device;
  final ConditionNode root;
  boolean firing;
  int flaps;

  /** The severity the condition gave the open alert (alarm levels move it), or null. */
  Severity severity;

  private long lastClearedAt = Long.MIN_VALUE;
  private long clock = Long.MIN_VALUE;
  private long latestTs = Long.MIN_VALUE;
  private long latestArrivedAt;
  private boolean reported;

  /**
   * The wall-clock instant the open alert was judged at before the device's first reading moved its
   * clock back to data time; its clear is stamped no earlier. {@link Long#MIN_VALUE} otherwise.
   */
  private long openedOnWallClock = Long.MIN_VALUE;

  /** Wall time of the last notification (live only, for {@code renotify}). */
  long lastNotifiedAt;

  /** Wall time the current alert was raised (live only). */
  long raisedAtWall;

  DeviceState(Rule rule, DeviceRef device, ConditionNode root) {
    this.rule = rule;
    this.device = device;
    this.root = root;
  }

  /**
   * The device's data time at wall time {@code now}: its newest reading's timestamp plus the wall
   * time since that reading arrived (wall time before it ever reported). A live device's clock is
   * the wall clock; a gateway draining a backlog moves it through the past at the backlog's pace.
   */
  long clockAt(long now) {
    return latestTs == Long.MIN_VALUE ? now : latestTs + Math.max(0, now - latestArrivedAt);
  }

  /** Timestamp of the newest reading, or {@link Long#MIN_VALUE}. */
  long latestTs() {
    return latestTs;
  }

  /** Whether the device ever reported to this rule (live or in the history it was rebuilt from). */
  boolean reported() {
    return reported;
  }

  /** Feeds a stored reading while rebuilding the state after a restart or a rule change. */
  void replay(String metric, double value, long ts) {
    reported = true;
    root.replay(metric, value, ts);
  }

  /** Feeds a reading that arrived at wall time {@code arrivedAt}, then checks the condition. */
  void read(String metric, double value, long ts, long arrivedAt, Transitions out) {
    if (!reported && ts < clock) {
      // Until its first reading the device's clock is the wall clock. That reading sets its data
      // clock, which may lie hours back (an accelerated drill, a gateway's backlog): judged from
      // the wall clock, every old reading would look absent and a gap inside them would be hidden
      // behind one alert that stays open until the data catches up.
      if (firing) {
        openedOnWallClock = clock;
      }
      clock = ts - 1;
    }
    advance(ts - 1, out);
    reported = true;
    root.onReading(metric, value, ts, ts);
    if (ts >= latestTs) {
      latestTs = ts;
      latestArrivedAt = arrivedAt;
    }
    // A reading older than the clock (late data after a tick) changes the state from now on.
    clock = Math.max(clock, ts);
    check(clock, out);
  }

  /** Advances the clock to {@code target}, evaluating at every deadline on the way. */
  void advance(long target, Transitions out) {
    if (target <= clock) {
      return;
    }
    long due;
    int steps = 0;
    while ((due = root.nextDue(clock)) <= target && steps++ < MAX_DUES_PER_ADVANCE) {
      root.onTick(due);
      clock = due;
      check(due, out);
    }
    root.onTick(target);
    clock = target;
    check(target, out);
  }

  private void check(long at, Transitions out) {
    boolean satisfied = root.satisfied(at);
    if (satisfied && !firing) {
      firing = true;
      flaps =
          lastClearedAt != Long.MIN_VALUE && at - lastClearedAt <= FLAP_WINDOW_MS ? flaps + 1 : 0;
      severity = root.severity(rule.severity());
      out.fired(this, at);
    } else if (satisfied) {
      Severity now = root.severity(rule.severity());
      if (severity != null && now != severity) {
        severity = now;
        out.regraded(this, now, at);
      }
    } else if (!satisfied && firing) {
      firing = false;
      // An alert raised on the wall clock ends when it ended there, not before it began; the
      // flap window does not reach across that jump in time.
      lastClearedAt = openedOnWallClock == Long.MIN_VALUE ? at : Long.MIN_VALUE;
      out.cleared(this, Math.max(at, openedOnWallClock));
      openedOnWallClock = Long.MIN_VALUE;
    }
  }
}
