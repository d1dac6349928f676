package vn.lantern.rules.eval;

import java.util.Arrays;
import vn.lantern.rules.rule.Condition;

/**
 * The points of one sliding window with aggregates kept up to date as points come and go, so a
 * reading costs a binary search and a block move ({@link System#arraycopy}) of at most the window's
 * cap, and reading any aggregate costs O(1), instead of a pass over every point. Points are kept in
 * primitive arrays (about 24 bytes a point): in time order, and their values once more in value
 * order, which gives min, max and the 95th percentile by index. The sum is compensated (Neumaier)
 * and recomputed exactly once as many points have left as the window holds, so rounding cannot
 * drift.
 *
 * <p>Late data: a point at or before {@code newest - window} would leave at once, so it is not kept
 * ({@link WindowBudget.Drop#LATE}); any other late point joins the window in time order, and a
 * point at a timestamp the window holds replaces its value, as InfluxDB does. Caps: see {@link
 * #add}. Not thread-safe.
 */
final class SlidingWindow {
  private static final int INITIAL = 8;

  private final WindowBudget budget;
  private final long windowMs;
  private long[] times = new long[INITIAL];
  private double[] values = new double[INITIAL];
  private int start;
  private int end;
  private double[] sorted = new double[INITIAL];
  private int sortedSize;
  private double sum;
  private double compensation;
  private int removedSinceExactSum;

  SlidingWindow(long windowMs, WindowBudget budget) {
    this.windowMs = windowMs;
    this.budget = budget;
  }

  int size() {
    return end - start;
  }

  /** Timestamp of the newest point; the window must not be empty. */
  long newest() {
    return times[end - 1];
  }

  /** Timestamp of the oldest point; the window must not be empty. */
  long oldest() {
    return times[start];
  }

  /**
   * Adds a point in time order. When the window holds its cap ({@code maxPerWindow}) or all windows
   * together hold the budget's total, the window's oldest point makes room if it is older than the
   * new one; otherwise the new point is not kept. Either way the drop is counted.
   */
  void add(long ts, double v) {
    int n = size();
    if (n > 0 && ts <= times[end - 1] - windowMs) {
      budget.dropped(WindowBudget.Drop.LATE);
      return;
    }
    int pos = upperBound(ts);
    if (pos > start && times[pos - 1] == ts) {
      removeSorted(values[pos - 1]);
      subtract(values[pos - 1]);
      values[pos - 1] = v;
      insertSorted(v);
      addToSum(v);
      removedSinceExactSum++;
      return;
    }
    if (n >= budget.maxPerWindow()) {
      if (!makeRoom(ts, WindowBudget.Drop.WINDOW_FULL)) {
        return;
      }
    } else if (!budget.take()) {
      if (!makeRoom(ts, WindowBudget.Drop.BUDGET_FULL)) {
        return;
      }
    }
    insertAt(upperBound(ts), ts, v);
  }

  /** Drops the oldest point for a newer one, keeping its room; false if the new one is older. */
  private boolean makeRoom(long ts, WindowBudget.Drop reason) {
    budget.dropped(reason);
    if (size() == 0 || ts < times[start]) {
      return false;
    }
    removeOldest();
    return true;
  }

  /** Removes the points at or before {@code before}; returns whether any left. */
  boolean evict(long before) {
    int removed = 0;
    while (end > start && times[start] <= before) {
      removeOldest();
      removed++;
    }
    if (removed > 0) {
      budget.release(removed);
      shrinkIfSparse();
    }
    return removed > 0;
  }

  /** Gives the window's room back to the budget (the window is discarded). */
  void release() {
    budget.release(size());
    start = 0;
    end = 0;
    sortedSize = 0;
  }

  double aggregate(Condition.Function function) {
    int n = size();
    return switch (function) {
      case COUNT -> n;
      case MIN -> sorted[0];
      case MAX -> sorted[sortedSize - 1];
      // Nearest rank: the smallest value with at least 95% of values at or below it.
      case P95 -> sorted[Math.max(0, (int) Math.ceil(0.95 * n) - 1)];
      case SUM -> sum + compensation;
      default -> (sum + compensation) / n;
    };
  }

  private void removeOldest() {
    double v = values[start];
    start++;
    removeSorted(v);
    subtract(v);
    if (start == end) {
      start = 0;
      end = 0;
      sum = 0;
      compensation = 0;
      removedSinceExactSum = 0;
    } else if (++removedSinceExactSum >= size()) {
      exactSum();
    }
  }

  /** The first index in [start, end) whose time is after {@code ts}. */
  private int upperBound(long ts) {
    if (end == start || times[end - 1] <= ts) {
      return end; // in order: the common case
    }
    int lo = start;
    int hi = end;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (times[mid] <= ts) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  private void insertAt(int pos, long ts, double v) {
    if (end == times.length) {
      int n = size();
      int capacity = n + 1 > times.length / 2 ? times.length * 2 : times.length;
      long[] t = new long[capacity];
      double[] x = new double[capacity];
      System.arraycopy(times, start, t, 0, n);
      System.arraycopy(values, start, x, 0, n);
      pos -= start;
      times = t;
      values = x;
      start = 0;
      end = n;
    }
    System.arraycopy(times, pos, times, pos + 1, end - pos);
    System.arraycopy(values, pos, values, pos + 1, end - pos);
    times[pos] = ts;
    values[pos] = v;
    end++;
    insertSorted(v);
    addToSum(v);
  }

  /** After a flood has left the window, its arrays shrink back. */
  private void shrinkIfSparse() {
    int n = size();
    if (times.length > 64 && n < times.length / 4) {
      int capacity = Math.max(INITIAL, Integer.highestOneBit(Math.max(1, n)) * 2);
      times = Arrays.copyOfRange(times, start, start + capacity);
      values = Arrays.copyOfRange(values, start, start + capacity);
      start = 0;
      end = n;
      sorted = Arrays.copyOf(sorted, capacity);
    }
  }

  private void insertSorted(double v) {
    if (sortedSize == sorted.length) {
      sorted = Arrays.copyOf(sorted, sorted.length * 2);
    }
    int pos = Arrays.binarySearch(sorted, 0, sortedSize, v);
    if (pos < 0) {
      pos = -pos - 1;
    }
    System.arraycopy(sorted, pos, sorted, pos + 1, sortedSize - pos);
    sorted[pos] = v;
    sortedSize++;
  }

  private void removeSorted(double v) {
    int pos = Arrays.binarySearch(sorted, 0, sortedSize, v);
    System.arraycopy(sorted, pos + 1, sorted, pos, sortedSize - pos - 1);
    sortedSize--;
  }

  private void addToSum(double x) {
    double t = sum + x;
    compensation += Math.abs(sum) >= Math.abs(x) ? (sum - t) + x : (x - t) + sum;
    sum = t;
  }

  private void subtract(double x) {
    addToSum(-x);
  }

  private void exactSum() {
    sum = 0;
    compensation = 0;
    for (int i = start; i < end; i++) {
      sum += values[i];
    }
    removedSinceExactSum = 0;
  }
}
