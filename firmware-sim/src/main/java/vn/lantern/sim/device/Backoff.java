package vn.lantern.sim.device;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Reconnect delays: exponential from {@code base} up to {@code max}, with "equal jitter" (half
 * fixed, half random) so a fleet that lost the node together does not come back together. The
 * jitter uses its own randomness, never a device's seeded source, so timing cannot change data.
 */
public record Backoff(Duration base, Duration max) {

  /** The delay before attempt {@code failures + 1}. */
  public Duration delay(int failures) {
    long cap = max.toMillis();
    long exp = base.toMillis() << Math.min(failures, 20);
    long ceiling = Math.min(cap, exp <= 0 ? cap : exp);
    long half = ceiling / 2;
    return Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(half + 1));
  }
}
