package vn.lantern.rules.eval;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What sliding and tumbling windows may hold: points per window (one rule on one device) and points
 * in all windows of one engine or one dry run together, with counts of the points they did not
 * keep. One budget per engine (shared by its windows, which run on the engine's thread) or per dry
 * run; the counters are atomic because the metrics registry reads them from other threads.
 */
public final class WindowBudget {

  /** Why a window did not keep a point. */
  public enum Drop {
    /** Older than the window's newest point minus its length, or for a window already closed. */
    LATE,
    /** The window held its maximum of points: its oldest point (or the new one) was dropped. */
    WINDOW_FULL,
    /** All windows together held the maximum: the window's oldest point or the new one dropped. */
    BUDGET_FULL;

    /** The metric tag. */
    public String tag() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  private final int maxPerWindow;
  private final long maxTotal;
  private final AtomicLong held = new AtomicLong();
  private final AtomicLong[] dropped = new AtomicLong[Drop.values().length];

  /**
   * @param maxPerWindow most points one window holds
   * @param maxTotal most points all windows under this budget hold together
   */
  public WindowBudget(int maxPerWindow, long maxTotal) {
    if (maxPerWindow < 1 || maxTotal < 1) {
      throw new IllegalArgumentException("window limits must be positive");
    }
    this.maxPerWindow = maxPerWindow;
    this.maxTotal = maxTotal;
    for (int i = 0; i < dropped.length; i++) {
      dropped[i] = new AtomicLong();
    }
  }

  int maxPerWindow() {
    return maxPerWindow;
  }

  /** Takes room for one more point; false when all windows together are full. */
  boolean take() {
    if (held.get() >= maxTotal) {
      return false;
    }
    held.incrementAndGet();
    return true;
  }

  /** Gives back room for {@code points} points. */
  void release(int points) {
    held.addAndGet(-points);
  }

  void dropped(Drop reason) {
    dropped[reason.ordinal()].incrementAndGet();
  }

  /** Points held now in all windows under this budget. */
  public long held() {
    return held.get();
  }

  /** Points not kept for {@code reason} since the budget was made. */
  public long droppedCount(Drop reason) {
    return dropped[reason.ordinal()].get();
  }
}
