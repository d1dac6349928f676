package vn.lantern.rules.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import vn.lantern.common.telemetry.DeviceRef;
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

  /**
   * The device whose readings come next; only a zone-wide condition, whose one state is fed by
   * every device of the zone, needs to know.
   */
  public void from(DeviceRef device) {}

  /** Gives back the memory the state held to its budget (the state is being discarded). */
  public void release() {}

  /** The current state in words for people (e.g. a flood bulletin line), or null. */
  public String detail() {
    return null;
  }

  /**
   * Compiles a condition into fresh state whose windows hold points under {@code budget}; {@code
   * startedAt} is when watching began.
   */
  public static ConditionNode compile(Condition condition, long startedAt, WindowBudget budget) {
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
          ? new TumblingNode(a, a.comparison(), a.holdFor().toMillis(), budget)
          : new SlidingNode(a, a.comparison(), a.holdFor().toMillis(), budget);
    }
    if (condition instanceof Condition.Levels l) {
      return new LevelsNode(l, budget);
    }
    if (condition instanceof Condition.Aqi a) {
      return new AqiNode(a);
    }
    if (condition instanceof Condition.ZoneAqi z) {
      return new ZoneAqiNode(z);
    }
    if (condition instanceof Condition.Upstream u) {
      return new UpstreamNode(u, (RateNode) compile(u.rise(), startedAt, budget));
    }
    if (condition instanceof Condition.Period p) {
      return new PeriodNode(p);
    }
    boolean any = condition instanceof Condition.Any;
    List<Condition> children =
        any ? ((Condition.Any) condition).conditions() : ((Condition.All) condition).conditions();
    List<ConditionNode> nodes = new ArrayList<>();
    children.forEach(c -> nodes.add(compile(c, startedAt, budget)));
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

  /**
   * A sliding window: the points of the last {@code window} before its newest point (and before the
   * clock, as it advances), aggregated incrementally by {@link SlidingWindow}.
   */
  static final class SlidingNode extends LatchingNode {
    private final Condition.Function function;
    private final long windowMs;
    private final SlidingWindow window;

    SlidingNode(Condition.Aggregate a, Comparison comparison, long holdMs, WindowBudget budget) {
      super(a.metric(), comparison, holdMs);
      this.function = a.function();
      this.windowMs = a.window().toMillis();
      this.window = new SlidingWindow(windowMs, budget);
    }

    @Override
    public void onReading(String m, double v, long ts, long now) {
      if (!metric.equals(m)) {
        return;
      }
      window.add(ts, v);
      if (window.size() > 0) {
        window.evict(window.newest() - windowMs);
      }
      evaluate(ts);
    }

    @Override
    public void replay(String m, double v, long ts) {
      if (metric.equals(m)) {
        window.add(ts, v);
      }
    }

    private void evaluate(long at) {
      if (window.size() == 0 && function != Condition.Function.COUNT) {
        // No data left in the window: nothing supports the alert any more.
        value = Double.NaN;
        deactivate();
        return;
      }
      apply(window.aggregate(function), at);
    }

    @Override
    public long nextDue(long after) {
      long hold = super.nextDue(after);
      return window.size() == 0 ? hold : Math.min(hold, after(window.oldest() + windowMs, after));
    }

    @Override
    public void onTick(long now) {
      boolean evicted = window.evict(now - windowMs);
      if (evicted || (window.size() == 0 && active)) {
        evaluate(now);
      }
    }

    @Override
    public void release() {
      window.release();
    }
  }

  /**
   * A tumbling window: aggregates {@code [k·window, (k+1)·window)} and decides when it closes.
   * Count, sum, mean, min and max are running values; only the 95th percentile keeps the window's
   * values, under the budget's caps.
   */
  static final class TumblingNode extends LatchingNode {
    private final Condition.Function function;
    private final long windowMs;
    private final WindowBudget budget;
    private long windowStart = Long.MIN_VALUE;
    private int n;
    private double sum;
    private double min = Double.POSITIVE_INFINITY;
    private double max = Double.NEGATIVE_INFINITY;
    private double[] values = new double[0];

    TumblingNode(Condition.Aggregate a, Comparison comparison, long holdMs, WindowBudget budget) {
      super(a.metric(), comparison, holdMs);
      this.function = a.function();
      this.windowMs = a.window().toMillis();
      this.budget = budget;
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
        budget.dropped(WindowBudget.Drop.LATE); // belongs to a window already closed
        return;
      }
      if (function == Condition.Function.P95 && !keep(v)) {
        return;
      }
      n++;
      sum += v;
      min = Math.min(min, v);
      max = Math.max(max, v);
    }

    /** Keeps a value for the percentile, within the window's cap and the budget. */
    private boolean keep(double v) {
      if (n >= budget.maxPerWindow()) {
        budget.dropped(WindowBudget.Drop.WINDOW_FULL);
        return false;
      }
      if (!budget.take()) {
        budget.dropped(WindowBudget.Drop.BUDGET_FULL);
        return false;
      }
      if (n == values.length) {
        values = Arrays.copyOf(values, Math.max(16, n * 2));
      }
      values[n] = v;
      return true;
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
        apply(aggregate(), windowStart + windowMs);
      }
      release();
      n = 0;
      sum = 0;
      min = Double.POSITIVE_INFINITY;
      max = Double.NEGATIVE_INFINITY;
    }

    private double aggregate() {
      return switch (function) {
        case COUNT -> n;
        case SUM -> sum;
        case MIN -> min;
        case MAX -> max;
        case P95 -> {
          double[] sorted = Arrays.copyOf(values, n);
          Arrays.sort(sorted);
          // Nearest rank: the smallest value with at least 95% of values at or below it.
          yield sorted[Math.max(0, (int) Math.ceil(0.95 * n) - 1)];
        }
        default -> sum / n;
      };
    }

    @Override
    public void release() {
      if (function == Condition.Function.P95) {
        budget.release(n);
      }
      if (values.length > 16) {
        values = new double[0];
      }
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

    @Override
    public void release() {
      for (ConditionNode child : children) {
        child.release();
      }
    }
  }
}
