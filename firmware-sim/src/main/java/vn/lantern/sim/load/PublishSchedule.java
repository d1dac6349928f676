package vn.lantern.sim.load;

/**
 * When each device publishes under {@code --rate}: every device once per period, the devices' first
 * publishes staggered evenly over the first period. Starting every device's timer at the same
 * instant would send N publishes in one burst each period, and the latency measured would be the
 * generator's own queueing, not the node's.
 *
 * @param periodMs each device's period
 * @param devices how many devices share the rate
 */
record PublishSchedule(long periodMs, int devices) {

  PublishSchedule {
    if (periodMs < 1 || devices < 1) {
      throw new IllegalArgumentException(
          "period and devices must be positive: " + periodMs + ", " + devices);
    }
  }

  /** The schedule giving {@code devices} together {@code rate} publishes per second. */
  static PublishSchedule forRate(int devices, double rate) {
    return new PublishSchedule(Math.max(1, Math.round(1000.0 * devices / rate)), devices);
  }

  /**
   * Milliseconds from the start to device {@code index}'s first publish, in [1, periodMs]: device i
   * starts i/N of a period in (at least 1 ms, as timers need).
   */
  long firstDelayMs(int index) {
    return 1 + index * periodMs / devices;
  }
}
