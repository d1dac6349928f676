package vn.lantern.rules.kpi;

/**
 * Increase of a cumulative counter (an energy meter's kWh register) over a series of samples,
 * robust to counter resets: a sample lower than its predecessor means the meter restarted from zero
 * (replacement, overflow, power loss), so the new value itself is the increase since the reset,
 * never a negative step.
 */
public final class CounterIncrease {
  private double total;
  private double last = Double.NaN;

  /** Adds the next sample, in time order. Non-finite samples are ignored. */
  public void add(double value) {
    if (!Double.isFinite(value)) {
      return;
    }
    if (!Double.isNaN(last)) {
      total += value >= last ? value - last : value;
    }
    last = value;
  }

  /** The increase over the samples added so far. */
  public double total() {
    return total;
  }
}
