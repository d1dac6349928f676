package vn.lantern.gateway.uplink;

/**
 * What became of one message sent upstream.
 *
 * @param outcome acknowledged, refused for good, or to be sent again
 * @param code the protocol's code: MQTT 5 reason code, or CoAP response code as class·100 + detail
 *     (404 for 4.04); -1 when there was no answer
 * @param detail human-readable reason, for logs
 */
public record Delivery(Outcome outcome, int code, String detail) {

  /** The three things a message can end as. */
  public enum Outcome {
    /** Durable upstream: delete from the queue. */
    ACKED,
    /** The same message would be refused again: move to the rejected table. */
    REFUSED,
    /** No or a transient answer: send again. */
    RETRY
  }

  public static Delivery acked(int code) {
    return new Delivery(Outcome.ACKED, code, "");
  }

  public static Delivery refused(int code, String detail) {
    return new Delivery(Outcome.REFUSED, code, detail);
  }

  public static Delivery retry(int code, String detail) {
    return new Delivery(Outcome.RETRY, code, detail);
  }
}
