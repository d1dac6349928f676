package vn.lantern.gateway.uplink;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with full jitter: the n-th delay is uniform in [min, min(max, min·2ⁿ)], so a
 * park full of gateways coming back after a node restart does not reconnect in lockstep.
 */
public final class Backoff {
  private final long minMs;
  private final long maxMs;
  private int attempt;

  public Backoff(long minMs, long maxMs) {
    this.minMs = Math.max(1, minMs);
    this.maxMs = Math.max(this.minMs, maxMs);
  }

  /** The next delay in milliseconds. */
  public long nextDelayMs() {
    long ceiling = Math.min(maxMs, minMs << Math.min(attempt, 20));
    attempt++;
    return minMs + ThreadLocalRandom.current().nextLong(ceiling - minMs + 1);
  }

  /** Back to the shortest delay, after a success. */
  public void reset() {
    attempt = 0;
  }
}
