package vn.lantern.common.telemetry;

import java.time.Duration;
import java.util.Objects;

/**
 * Configurable bounds on what a device may send in one message (DESIGN.md §3, "Payloads").
 *
 * @param maxPayloadBytes largest accepted payload, checked before any parsing
 * @param maxReadingsPerMessage most readings one message may carry
 * @param maxAge oldest accepted reading, relative to the receive time
 * @param maxFuture furthest a reading may lie in the future (device clock skew)
 */
public record TelemetryLimits(
    int maxPayloadBytes, int maxReadingsPerMessage, Duration maxAge, Duration maxFuture) {

  /** Validates the limits; a misconfiguration fails at startup rather than on every message. */
  public TelemetryLimits {
    if (maxPayloadBytes <= 0) {
      throw new IllegalArgumentException("maxPayloadBytes must be positive: " + maxPayloadBytes);
    }
    if (maxReadingsPerMessage <= 0) {
      throw new IllegalArgumentException(
          "maxReadingsPerMessage must be positive: " + maxReadingsPerMessage);
    }
    Objects.requireNonNull(maxAge, "maxAge");
    Objects.requireNonNull(maxFuture, "maxFuture");
    if (maxAge.isNegative() || maxFuture.isNegative()) {
      throw new IllegalArgumentException("maxAge and maxFuture must not be negative");
    }
  }

  /** 64 KiB, 500 readings, 7 days back, 5 minutes ahead. */
  public static TelemetryLimits defaults() {
    return new TelemetryLimits(64 * 1024, 500, Duration.ofDays(7), Duration.ofMinutes(5));
  }
}
