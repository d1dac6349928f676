package vn.lantern.common.telemetry;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * Checks decoded readings against {@link TelemetryLimits}: metric names, finite values and
 * timestamps within [now - maxAge, now + maxFuture]. Stateless and thread-safe.
 */
public final class ReadingValidator {

  /**
   * Names a metric may not take: InfluxDB's own {@code time} column (a field of that name is
   * dropped silently, after the acknowledgement) and the tag keys every point carries.
   */
  public static final Set<String> RESERVED_NAMES = Set.of("time", "zone", "site", "device");

  private final long maxAgeMs;
  private final long maxFutureMs;
  private final String tooOldMessage;
  private final String tooNewMessage;

  /** Creates a validator for the given limits. */
  public ReadingValidator(TelemetryLimits limits) {
    this.maxAgeMs = limits.maxAge().toMillis();
    this.maxFutureMs = limits.maxFuture().toMillis();
    // Built once so that a rejection does not format durations on the hot path.
    this.tooOldMessage = "timestamp is more than " + describe(limits.maxAge()) + " in the past";
    this.tooNewMessage =
        "timestamp is more than " + describe(limits.maxFuture()) + " in the future";
  }

  /**
   * Validates every reading, stopping at the first fault.
   *
   * @param readings decoded readings
   * @param nowMs the current time in epoch milliseconds (normally the receive time)
   * @throws PayloadRejectedException with {@link RejectionCause#MALFORMED} if there are no
   *     readings, or {@link RejectionCause#BAD_METRIC_NAME}, {@link
   *     RejectionCause#NON_FINITE_VALUE} or {@link RejectionCause#TIMESTAMP_OUT_OF_RANGE} with the
   *     metric name as the field
   */
  public void validate(List<Reading> readings, long nowMs) throws PayloadRejectedException {
    if (readings.isEmpty()) {
      throw new PayloadRejectedException(RejectionCause.MALFORMED, null, "no readings");
    }
    long oldest = nowMs - maxAgeMs;
    long newest = nowMs + maxFutureMs;
    for (Reading reading : readings) {
      String metric = reading.metric();
      if (!isValidMetricName(metric)) {
        throw new PayloadRejectedException(
            RejectionCause.BAD_METRIC_NAME,
            metric,
            RESERVED_NAMES.contains(metric)
                ? "metric name '" + metric + "' is reserved (time, zone, site, device)"
                : "metric names must match " + MetricName.RULE);
      }
      if (!Double.isFinite(reading.value())) {
        throw new PayloadRejectedException(
            RejectionCause.NON_FINITE_VALUE, metric, "value must be a finite number");
      }
      long ts = reading.timestampMs();
      if (ts < oldest) {
        throw new PayloadRejectedException(
            RejectionCause.TIMESTAMP_OUT_OF_RANGE, metric, tooOldMessage);
      }
      if (ts > newest) {
        throw new PayloadRejectedException(
            RejectionCause.TIMESTAMP_OUT_OF_RANGE, metric, tooNewMessage);
      }
    }
  }

  /**
   * Whether {@code name} follows the {@link MetricName} rule and is not one of the {@link
   * #RESERVED_NAMES}.
   */
  public static boolean isValidMetricName(String name) {
    return !RESERVED_NAMES.contains(name) && MetricName.isWellFormed(name);
  }

  private static String describe(Duration d) {
    long ms = d.toMillis();
    if (ms > 0 && ms % 86_400_000 == 0) {
      return plural(ms / 86_400_000, "day");
    }
    if (ms > 0 && ms % 3_600_000 == 0) {
      return plural(ms / 3_600_000, "hour");
    }
    if (ms > 0 && ms % 60_000 == 0) {
      return plural(ms / 60_000, "minute");
    }
    return ms + " ms";
  }

  private static String plural(long n, String unit) {
    return n + " " + unit + (n == 1 ? "" : "s");
  }
}
