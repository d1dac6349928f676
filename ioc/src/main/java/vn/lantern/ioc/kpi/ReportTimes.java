package vn.lantern.ioc.kpi;

import java.util.Arrays;

/**
 * The distinct instants one device reported at, in order, for data completeness. A sorted array
 * rather than a {@code TreeSet<Long>}: readings mostly arrive in time order, so adding is an
 * append, counting a period is two binary searches, and an entry costs 8 bytes instead of a boxed
 * tree node. The profile of a node taking one-reading messages put the tree's inserts at 6 % of its
 * CPU. Not thread-safe.
 */
final class ReportTimes {
  private long[] times = new long[8];
  private int from;
  private int to;

  /** Records an instant; an instant already recorded is ignored. */
  void add(long instant) {
    // Room first: making it may slide or copy the live part, which moves every index.
    ensureRoomAtEnd();
    if (from == to || instant > times[to - 1]) {
      times[to++] = instant;
      return;
    }
    int at = Arrays.binarySearch(times, from, to, instant);
    if (at >= 0) {
      return;
    }
    int insertion = -at - 1;
    System.arraycopy(times, insertion, times, insertion + 1, to - insertion);
    times[insertion] = instant;
    to++;
  }

  /** How many recorded instants fall in {@code [start, end)}. */
  int countIn(long start, long end) {
    return Math.max(0, firstAtOrAfter(end) - firstAtOrAfter(start));
  }

  /** The latest instant, or {@link Long#MIN_VALUE} if none. */
  long last() {
    return from == to ? Long.MIN_VALUE : times[to - 1];
  }

  /** How many instants are recorded. */
  int size() {
    return to - from;
  }

  /** Forgets the instants before {@code cutoff}, keeping the last one before it as a baseline. */
  void pruneBefore(long cutoff) {
    int firstKept = firstAtOrAfter(cutoff) - 1;
    if (firstKept > from) {
      from = firstKept;
    }
  }

  private int firstAtOrAfter(long instant) {
    int at = Arrays.binarySearch(times, from, to, instant);
    return at >= 0 ? at : -at - 1;
  }

  /** Makes room for one more at the end: slides the live part down or grows the array. */
  private void ensureRoomAtEnd() {
    if (to < times.length) {
      return;
    }
    int live = to - from;
    long[] target = live * 2 < times.length ? times : new long[times.length * 2];
    System.arraycopy(times, from, target, 0, live);
    times = target;
    from = 0;
    to = live;
  }
}
