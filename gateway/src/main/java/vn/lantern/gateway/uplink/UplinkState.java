package vn.lantern.gateway.uplink;

/** Connection state of the uplink, reported on {@code /health} and as a gauge. */
public enum UplinkState {
  CONNECTING,
  CONNECTED,
  DISCONNECTED,
  STOPPED
}
