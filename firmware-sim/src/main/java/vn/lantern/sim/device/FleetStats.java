package vn.lantern.sim.device;

import java.util.concurrent.atomic.LongAdder;

/** Counters of a simulated fleet, shared by its devices. */
public final class FleetStats {
  /** Readings measured and queued for sending. */
  public final LongAdder measured = new LongAdder();

  /** Readings published at least once. */
  public final LongAdder sent = new LongAdder();

  /** Readings the node acknowledged. */
  public final LongAdder acked = new LongAdder();

  /** Readings published again after a lost connection or a missing acknowledgement. */
  public final LongAdder redelivered = new LongAdder();

  /** Readings the node refused for good, plus acknowledgements that never came. */
  public final LongAdder errors = new LongAdder();

  /** Readings dropped from a full local queue (oldest first). */
  public final LongAdder dropped = new LongAdder();

  /** Samples not measured because the device was silent (power outage). */
  public final LongAdder silenced = new LongAdder();

  /** Connection attempts that failed. */
  public final LongAdder connectFailures = new LongAdder();

  /** Connections that dropped while up. */
  public final LongAdder disconnects = new LongAdder();

  @Override
  public String toString() {
    return "measured="
        + measured.sum()
        + " sent="
        + sent.sum()
        + " acked="
        + acked.sum()
        + " errors="
        + errors.sum()
        + " redelivered="
        + redelivered.sum()
        + " dropped="
        + dropped.sum()
        + " silenced="
        + silenced.sum()
        + " connect_failures="
        + connectFailures.sum()
        + " disconnects="
        + disconnects.sum();
  }
}
