package vn.lantern.rules.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import vn.lantern.rules.rule.Comparison;
import vn.lantern.rules.rule.Condition;
import vn.lantern.rules.rule.Severity;

/**
 * The evaluation state of one condition for one device: fed readings and clock ticks, it says
 * whether the condition holds. Not thread-safe: one (rule, device) is evaluated on one thread.
 *
 * <p>{@code ts} is a reading's own timestamp and {@code now} the evaluation clock; both are data
 * time (the readings' time), live and in a dry run alike, so replayed data is judged as it
 * happened. The clock also advances without readings, which drives absence deadlines when nothing
 * arrives.
 */
public abstract class ConditionNode {

  /** Feeds a reading of {@code metric}; nodes ignore metrics they do not watch. */
  public abstract void onReading(String metric, double value, long ts, long now);

  /** Feeds a historical reading (rebuilding state after a restart or a rule change). */
  public void replay(String metric, double value, long ts) {}

  /** Advances the clock without a reading. */
  public void onTick(long now) {}

  /**
   * The first instant after {@code after} at which the state changes with time alone (a {@code for}
   * duration ends, an absence deadline passes, a reading leaves a window, a window closes), or
   * {@link Long#MAX_VALUE}. Evaluating exactly there makes the transition times independent of how
   * often the clock is ticked, so the live engine and a dry run agree.
   */
  public long nextDue(long after) {
    return Long.MAX_VALUE;
  }

  /** {@code due} when it lies after {@code after}, else never. */
  static long after(long due, long after) {
    return due > after ? due : Long.MAX_VALUE;
  }

  /** Whether the condition holds at {@code now}, including its {@code for} duration. */
  public abstract boolean satisfied(long now);

  /** The value that best explains the current state (NaN when there is none). */
  public abstract double value();

  /** Assumes the condition held since {@code since} (an alert was open before a restart). */
  public abstract void assumeActive(long since);

  /** The severity its alert should have now; only alarm levels change the rule's severity. */
  public Severity severity(Severity ruleSeverity) {
    return ruleSeverity;
  }

  /** The current state in words for people (e.g. a flood bulletin line), or null. */
  public String detail() {
    return null;
  }

  /** Compiles a condition into fresh state; {@code startedAt} is when watching began. */
  public static ConditionNode compile(Condition condition, long startedAt) {
    if (condition instanceof Condition.Threshold t) {
      return new ThresholdNode(t.metric(), t.comparison(), t.holdFor().toMillis());
    }
    if (condition instanceof Condition.Rate r) {
      return new RateNode(r.metric(), r.comparison(), r.per().toMillis(), r.holdFor().toMillis());
    }
    if (condition instanceof Condition.Absence a) {
      return new AbsenceNode(a.metric(), a.duration().toMillis(), startedAt);
    }
    if (condition instanceof Condition.Aggregate a) {
      return a.tumbling()
          ? new TumblingNode(a, a.comparison(), a.holdFor().toMillis())
          : new SlidingNode(a, a.comparison(), a.holdFor().toMillis());
    }
    if (condition instanceof Condition.Levels l) {
      return new LevelsNode(l);
    }
    if (condition instanceof Condition.Period p) {
      return new PeriodNode(p);
    }
    boolean any = condition instanceof Condition.Any;
    List<Condition> children =
        any ? ((Condition.Any) condition).conditions() : ((Condition.All) condition).conditions();
    List<ConditionNode> nodes = new ArrayList<>();
    children.forEach(c -> nodes.add(compile(c, startedAt)));
    return new CompositeNode(nodes, any);
  }

  /** A comparison that latches: active from the first triggering value until a clearing one. */
  abstract static class LatchingNode extends ConditionNode {
    final String metric;
    final Comparison comparison;
    final long holdMs;
    boolean active;
    long activeSince;
    double value = Double.NaN;

    LatchingNode(String metric, Comparison comparison, long holdMs) {
      this.metric = metric;
      this.comparison = comparison;
      this.holdMs = holdMs;
    }

    final void apply(double v, long ts) {
      value = v;
      if (!active) {
        if (comparison.triggers(v)) {
          active = true;
          activeSince = ts;
        }
      } else if (comparison.clears(v)) {
        active = false;
      }
    }

    final void deactivate() {
      active = false;
    }

    @Override
    public boolean satisfied(long now) {
      return active && now - activeSince >= holdMs;
    }

    @Override
    public long nextDue(long after) {
      return active && holdMs > 0 ? after(activeSince + holdMs, after) : Long.MAX_VALUE;
    }

    @Override
    public double value() {
      return value;
    }

    @Override
    public void assumeActive(long since) {
      active = true;
      activeSince = since - holdMs;
    }
  }

  static final class ThresholdNode extends LatchingNode {
    private boolean live;

    ThresholdNode(String metric, Comparison comparison, long holdMs) {
      super(metric, comparison, holdMs);
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
  }

  static final class RateNode extends LatchingNode {
    private final long perMs;
    private long previousTs = Long.MIN_VALUE;
    private double previous;

    RateNode(String metric, Comparison comparison, long perMs, long holdMs) {
      super(metric, comparison, holdMs);
      this.perMs = perMs;
    }

    @Override
    public void onReading(String m, double v, long ts, long now) {
      if (!metric.equals(m)) {
        return;
      }
      if (previousTs != Long.MIN_VALUE && ts > previousTs) {
        apply((v - previous) / (ts - previousTs) * perMs, ts);
      }
      if (ts > previousTs) {
        previousTs = ts;
        previous = v;
      }
    }

    @Override
    public void replay(String m, double v, long ts) {
      onReading(m, v, ts, ts);
    }
  }

  static final class AbsenceNode extends ConditionNode {
    private final String metric;
    private final long durationMs;
    private long lastSeen;
    private boolean live;
    private boolean replayed;

    AbsenceNode(String metric, long durationMs, long startedAt) {
      this.metric = metric;
      this.durationMs = durationMs;
      this.lastSeen = startedAt;
    }

    private boolean watches(String m) {
      return metric == null || metric.equals(m);
    }

    @Override
    public void onReading(String m, double v, long ts, long now) {
      if (watches(m)) {
        // The first reading sets the data clock: readings older than the rule's start (a drill,
        // a gateway's backlog) must show their own gaps, not hide behind the start time.
        lastSeen = live || replayed ? Math.max(lastSeen, now) : now;
        live = true;
      }
    }

    @Override
    public void replay(String m, double v, long ts) {
      if (!live && watches(m)) {
        lastSeen = replayed ? Math.max(lastSeen, ts) : ts;
        replayed = true;
      }
    }

    @Override
    public boolean satisfied(long now) {
      return now - lastSeen >= durationMs;
    }

    @Override
    public long nextDue(long after) {
      return after(lastSeen + durationMs, after);
    }

    @Override
    public double value() {
      return Double.NaN;
    }

    @Override
    public void assumeActive(long since) {
      if (!live && !replayed) {
        lastSeen = Math.min(lastSeen, since - durationMs);
      }
    }
  }

  /** The aggregate of a window's values. */
  static double aggregate(Condition.Function function, double[] values, int n) {
    if (function == Condition.Function.COUNT) {
      return n;
    }
    double result;
    switch (function) {
      case MIN -> {
        result = Double.POSITIVE_INFINITY;
        for (int i = 0; i < n; i++) {
          result = Math.min(result, values[i]);
        }
      }
      case MAX -> {
        result = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
          result = Math.max(result, values[i]);
        }
      }
      case P95 -> {
        double[] sorted = Arrays.copyOf(values, n);
        Arrays.sort(sorted);
        // Nearest-rank percentile: the smallest value with at least 95% of values at or below it.
        result = sorted[Math.max(0, (int) Math.ceil(0.95 * n) - 1)];
      }
      default -> {
        result = 0;
        for (int i = 0; i < n; i++) {
          result += values[i];
        }
        if (function == Condition.Function.AVG) {
          result /= n;
        }
      }
    }
    return result;
  }

  /**
   * A sliding window as a ring of primitive (timestamp, value) pairs in time order: no object per
   * reading, and the aggregate is computed in place.
   */
  static final class SlidingNode extends LatchingNode {
    private final Condition.Function function;
    private final long windowMs;
    private long[] times = new long[4];
    private double[] values = new double[4];
    private int head;
    private int size;

    SlidingNode(Condition.Aggregate a, Comparison comparison, long holdMs) {
      super(a.metric(), comparison, holdMs);
      this.function = a.function();
      this.windowMs = a.window().toMillis();
    }

    private int index(int i) {
      return (head + i) & (times.length - 1);
    }

    @Override
    public void onReading(String m, double v, long ts, long now) {
      if (!metric.equals(m)) {
        return;
      }
      insert(ts, v);
      evict(times[index(size - 1)] - windowMs);
      evaluate(ts);
    }

    @Override
    public void replay(String m, double v, long ts) {
      if (metric.equals(m)) {
        insert(ts, v);
      }
    }

    /** Inserts in time order; a reading with an existing timestamp replaces it, as in InfluxDB. */
    private void insert(long ts, double v) {
      int pos = size;
      while (pos > 0 && times[index(pos - 1)] > ts) {
        pos--;
      }
      if (pos > 0 && times[index(pos - 1)] == ts) {
        values[index(pos - 1)] = v;
        return;
      }
      if (size == times.length) {
        grow();
      }
      for (int i = size; i > pos; i--) {
        times[index(i)] = times[index(i - 1)];
        values[index(i)] = values[index(i - 1)];
      }
      times[index(pos)] = ts;
      values[index(pos)] = v;
      size++;
    }

    private void grow() {
      long[] t = new long[times.length * 2];
      double[] v = new double[times.length * 2];
      for (int i = 0; i < size; i++) {
        t[i] = times[index(i)];
        v[i] = values[index(i)];
      }
      times = t;
      values = v;
      head = 0;
    }

    private void evict(long before) {
      while (size > 0 && times[head] <= before) {
        head = (head + 1) & (times.length - 1);
        size--;
      }
    }

    private void evaluate(long at) {
      if (size == 0 && function != Condition.Function.COUNT) {
        // No data left in the window: nothing supports the alert any more.
        value = Double.NaN;
        deactivate();
        return;
      }
      apply(aggregate(), at);
    }

    private double aggregate() {
      switch (function) {
        case COUNT:
          return size;
        case P95:
          double[] copy = new double[size];
          for (int i = 0; i < size; i++) {
            copy[i] = values[index(i)];
          }
          return ConditionNode.aggregate(function, copy, size);
        default:
          double sum = 0;
          double min = Double.POSITIVE_INFINITY;
          double max = Double.NEGATIVE_INFINITY;
          for (int i = 0; i < size; i++) {
            double v = values[index(i)];
            sum += v;
            min = Math.min(min, v);
            max = Math.max(max, v);
          }
          return switch (function) {
            case MIN -> min;
            case MAX -> max;
            case SUM -> sum;
            default -> sum / size;
          };
      }
    }

    @Override
    public long nextDue(long after) {
      long hold = super.nextDue(after);
      return size == 0 ? hold : Math.min(hold, after(times[head] + windowMs, after));
    }

    @Override
    public void onTick(long now) {
      int before = size;
      evict(now - windowMs);
      if (size != before || (size == 0 && active)) {
        evaluate(now);
      }
    }
  }

  static final class TumblingNode extends LatchingNode {
    private final Condition.Function function;
    private final long windowMs;
    private long windowStart = Long.MIN_VALUE;
    private double[] values = new double[16];
    private int n;

    TumblingNode(Condition.Aggregate a, Comparison comparison, long holdMs) {
      super(a.metric(), comparison, holdMs);
      this.function = a.function();
      this.windowMs = a.window().toMillis();
    }

    @Override
    public void onReading(String m, double v, long ts, long now) {
      if (!metric.equals(m)) {
        return;
      }
      long start = Math.floorDiv(ts, windowMs) * windowMs;
      if (start > windowStart) {
        close();
        windowStart = start;
      } else if (start < windowStart) {
        return; // belongs to a window already closed
      }
      if (n == values.length) {
        values = Arrays.copyOf(values, n * 2);
      }
      values[n++] = v;
    }

    @Override
    public void replay(String m, double v, long ts) {
      onReading(m, v, ts, ts);
    }

    @Override
    public long nextDue(long after) {
      long hold = super.nextDue(after);
      return windowStart == Long.MIN_VALUE
          ? hold
          : Math.min(hold, after(windowStart + windowMs, after));
    }

    @Override
    public void onTick(long now) {
      if (windowStart != Long.MIN_VALUE && now >= windowStart + windowMs) {
        close();
        windowStart = Math.floorDiv(now, windowMs) * windowMs;
      }
    }

    private void close() {
      if (n > 0 || (function == Condition.Function.COUNT && windowStart != Long.MIN_VALUE)) {
        apply(aggregate(function, values, n), windowStart + windowMs);
      }
      n = 0;
    }
  }

  static final class CompositeNode extends ConditionNode {
    private final List<ConditionNode> children;
    private final boolean any;

    CompositeNode(List<ConditionNode> children, boolean any) {
      this.children = children;
      this.any = any;
    }

    @Override
    public void onReading(String metric, double value, long ts, long now) {
      for (ConditionNode child : children) {
        child.onReading(metric, value, ts, now);
      }
    }

    @Override
    public void replay(String metric, double value, long ts) {
      for (ConditionNode child : children) {
        child.replay(metric, value, ts);
      }
    }

    @Override
    public void onTick(long now) {
      for (ConditionNode child : children) {
        child.onTick(now);
      }
    }

    @Override
    public long nextDue(long after) {
      long due = Long.MAX_VALUE;
      for (ConditionNode child : children) {
        due = Math.min(due, child.nextDue(after));
      }
      return due;
    }

    @Override
    public boolean satisfied(long now) {
      for (ConditionNode child : children) {
        if (child.satisfied(now) == any) {
          return any;
        }
      }
      return !any;
    }

    @Override
    public double value() {
      for (ConditionNode child : children) {
        if (!Double.isNaN(child.value())) {
          return child.value();
        }
      }
      return Double.NaN;
    }

    @Override
    public void assumeActive(long since) {
      for (ConditionNode child : children) {
        child.assumeActive(since);
      }
    }
  }
}
