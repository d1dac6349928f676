package vn.lantern.sim.run;

import vn.lantern.sim.device.AckLedger;
import vn.lantern.sim.device.FleetStats;

/**
 * What a fleet run did.
 *
 * @param stats the fleet's counters
 * @param ledger every acknowledged reading
 * @param unacknowledged readings still queued or in flight when the run ended
 */
public record RunResult(FleetStats stats, AckLedger ledger, long unacknowledged) {

  /** The one-line summary printed at the end of {@code sim run}. */
  public String summary() {
    return "sim run: " + stats + " unacknowledged=" + unacknowledged;
  }
}
