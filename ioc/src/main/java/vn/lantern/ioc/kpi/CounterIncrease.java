package vn.lantern.ioc.kpi;

/**
 * Increase of a cumulative counter (an energy meter's kWh register) over a series of samples, in
 * time order.
 *
 * <p>A counter only grows, so a lower sample is either a reset or a stray value. A drop to near
 * zero (below {@link #RESET_FRACTION} of the previous value) is a reset — meter replaced, register
 * overflowed, power lost — and the new value itself is the increase since it. Any other drop is a
 * stray sample (a late reading, a device replaying old values, a misread register) and is ignored
 * until the counter passes its previous high again, so neither case can add a spurious jump.
 */
public final class CounterIncrease {
  /** A sample below this fraction of the previous one is taken as a counter reset. */
  static final double RESET_FRACTION = 0.1;

  private double total;
  private double last = Double.NaN;

  /** Adds the next sample, in time order. Non-finite samples are ignored. */
  public void add(double value) {
    if (!Double.isFinite(value)) {
      return;
    }
    if (Double.isNaN(last) || value >= last) {
      total += Double.isNaN(last) ? 0 : value - last;
      last = value;
    } else if (value < last * RESET_FRACTION) {
      total += value;
      last = value;
    }
  }

  /** The increase over the samples added so far. */
  public double total() {
    return total;
  }
}
