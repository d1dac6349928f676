package vn.lantern.common.telemetry;

/**
 * Why a payload was rejected. Endpoints map these to protocol outcomes (MQTT 5 reason code, CoAP
 * response code, HTTP status) and metrics use them as a label, so the set is kept small and stable.
 */
public enum RejectionCause {
  /**
   * Not valid JSON/CBOR, or valid syntax with the wrong structure (missing, unknown, duplicate
   * keys).
   */
  MALFORMED,
  /** The format could not be recognised, or uses a feature Lantern does not implement. */
  UNSUPPORTED_FORMAT,
  /** The payload is larger than {@link TelemetryLimits#maxPayloadBytes()}. */
  TOO_LARGE,
  /** The message carries more than {@link TelemetryLimits#maxReadingsPerMessage()} readings. */
  TOO_MANY_READINGS,
  /**
   * A metric name does not match {@code [a-z][a-z0-9_]{0,63}} or is reserved ({@code time}, {@code
   * zone}, {@code site}, {@code device}).
   */
  BAD_METRIC_NAME,
  /** A value is NaN or infinite. */
  NON_FINITE_VALUE,
  /** A timestamp lies outside [now - maxAge, now + maxFuture]. */
  TIMESTAMP_OUT_OF_RANGE,
  /** A value that is not a number (string, data, object, null, SenML sum only). */
  UNSUPPORTED_VALUE,
  /** A catalogue metric in a unit that {@link MetricUnits} cannot convert to its canonical one. */
  UNSUPPORTED_UNIT
}
