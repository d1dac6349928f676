package vn.lantern.common.telemetry;

import java.util.Objects;
import java.util.Optional;

/**
 * A device payload was refused by decoding or validation.
 *
 * <p>The message is short and safe to send back to the device or show in an API error ({@code
 * {"error": reason, "message": ..., "field": ...}}): it never contains credentials or parser
 * internals. Bad input is expected on the ingest hot path, so no stack trace is captured.
 */
public final class PayloadRejectedException extends Exception {

  private final RejectionCause reason;
  private final String field;

  /**
   * Creates a rejection.
   *
   * @param reason the rejection category
   * @param field where in the payload the fault is, e.g. {@code m.pm25}, {@code [3].n}, or a metric
   *     name; {@code null} when the payload as a whole is at fault
   * @param message a short human-readable explanation
   */
  public PayloadRejectedException(RejectionCause reason, String field, String message) {
    super(message, null, false, false);
    this.reason = Objects.requireNonNull(reason, "reason");
    this.field = field;
  }

  /** The rejection category (named so as not to clash with {@link Throwable#getCause()}). */
  public RejectionCause reason() {
    return reason;
  }

  /** Where in the payload the fault is, if it can be pinned down. */
  public Optional<String> field() {
    return Optional.ofNullable(field);
  }
}
