package vn.lantern.rules.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import vn.lantern.rules.rule.Condition;

/**
 * The incremental window against the obvious one (every point in a sorted map, aggregates computed
 * over all of them), and its caps.
 */
class SlidingWindowTest {
  private static final long WINDOW = 10_000;

  /** The reference: points by time, aggregates by a pass over all of them. */
  private static final class Reference {
    final TreeMap<Long, Double> points = new TreeMap<>();

    void add(long ts, double v) {
      if (!points.isEmpty() && ts <= points.lastKey() - WINDOW) {
        return;
      }
      points.put(ts, v);
    }

    void evict(long before) {
      points.headMap(before, true).clear();
    }

    double aggregate(Condition.Function function) {
      List<Double> values = new ArrayList<>(points.values());
      double sum = 0;
      for (double v : values) {
        sum += v;
      }
      List<Double> sorted = new ArrayList<>(values);
      sorted.sort(null);
      int n = values.size();
      return switch (function) {
        case COUNT -> n;
        case MIN -> sorted.get(0);
        case MAX -> sorted.get(n - 1);
        case P95 -> sorted.get(Math.max(0, (int) Math.ceil(0.95 * n) - 1));
        case SUM -> sum;
        default -> sum / n;
      };
    }
  }

  @Test
  void agreesWithARecomputationOverEveryPointWhateverTheOrder() {
    Random random = new Random(7);
    for (int round = 0; round < 20; round++) {
      SlidingWindow window = new SlidingWindow(WINDOW, new WindowBudget(1_000_000, 10_000_000));
      Reference reference = new Reference();
      long clock = 1_000_000;
      for (int step = 0; step < 3_000; step++) {
        int op = random.nextInt(10);
        if (op < 6) {
          clock += random.nextInt(50);
          long ts = clock - (random.nextInt(4) == 0 ? random.nextInt(15_000) : 0);
          double v = Math.round(random.nextGaussian() * 1000) / 10.0;
          window.add(ts, v);
          reference.add(ts, v);
        } else if (op < 8 && window.size() > 0) {
          window.evict(window.newest() - WINDOW);
          reference.evict(reference.points.lastKey() - WINDOW);
        } else {
          clock += random.nextInt(3_000);
          window.evict(clock - WINDOW);
          reference.evict(clock - WINDOW);
        }
        assertEquals(reference.points.size(), window.size(), "size at step " + step);
        if (window.size() > 0) {
          assertEquals(reference.points.firstKey(), window.oldest());
          for (Condition.Function f : Condition.Function.values()) {
            assertEquals(
                reference.aggregate(f),
                window.aggregate(f),
                1e-9 * Math.max(1, Math.abs(reference.aggregate(f))),
                f + " at step " + step);
          }
        }
      }
    }
  }

  @Test
  void aFloodOfPastPointsKeepsTheNewestUpToTheCapAndCountsTheRest() {
    WindowBudget budget = new WindowBudget(1_000, 10_000_000);
    SlidingWindow window = new SlidingWindow(3_600_000, budget);
    long now = 10_000_000;
    // 30,000 distinct past timestamps, newest first: the worst order for a window kept in time
    // order.
    for (int i = 0; i < 30_000; i++) {
      window.add(now - i * 100L, i);
    }
    assertEquals(1_000, window.size());
    assertEquals(1_000, budget.held());
    assertEquals(now - 999 * 100L, window.oldest(), "the newest thousand stay");
    assertEquals(29_000, budget.droppedCount(WindowBudget.Drop.WINDOW_FULL));
    assertEquals(999.0, window.aggregate(Condition.Function.MAX));
  }

  @Test
  void theBudgetOfAllWindowsBoundsThemTogetherAndComesBackWhenPointsLeave() {
    WindowBudget budget = new WindowBudget(1_000, 1_500);
    SlidingWindow first = new SlidingWindow(WINDOW, budget);
    SlidingWindow second = new SlidingWindow(WINDOW, budget);
    for (int i = 0; i < 1_000; i++) {
      first.add(i, 1);
    }
    for (int i = 0; i < 1_000; i++) {
      second.add(i, 2);
    }
    assertEquals(1_500, budget.held());
    assertEquals(500, second.size(), "an empty window gets only what is left");
    assertEquals(500, budget.droppedCount(WindowBudget.Drop.BUDGET_FULL));
    // Still sliding under a full budget: the newest point takes the room of the window's oldest.
    second.add(5_000, 3);
    assertEquals(500, second.size());
    assertEquals(5_000, second.newest());

    first.evict(499);
    assertEquals(1_000, budget.held(), "evicted points give their room back");
    second.release();
    assertEquals(500, budget.held(), "a discarded window gives all its room back");
  }

  @Test
  void latePointsOutsideTheWindowAreCountedAndRedeliveriesReplace() {
    WindowBudget budget = new WindowBudget(100, 1_000);
    SlidingWindow window = new SlidingWindow(WINDOW, budget);
    window.add(50_000, 1);
    window.add(40_000, 9); // exactly one window older than the newest: already outside
    assertEquals(1, window.size());
    assertEquals(1, budget.droppedCount(WindowBudget.Drop.LATE));
    window.add(45_000, 4); // late but inside: joins in time order
    window.add(50_000, 2); // same timestamp: replaces, as InfluxDB does
    assertEquals(2, window.size());
    assertEquals(6.0, window.aggregate(Condition.Function.SUM));
    assertEquals(45_000, window.oldest());
  }
}
