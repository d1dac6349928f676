package vn.lantern.sim.device;

/** The node refused a payload for good (MQTT 5 reason code ≥ 0x80, CoAP 4.xx): never resent. */
public final class RejectedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public RejectedException(String message) {
    super(message);
  }
}
