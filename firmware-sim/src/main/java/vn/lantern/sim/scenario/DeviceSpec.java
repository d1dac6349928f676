package vn.lantern.sim.scenario;

import java.time.Duration;

/**
 * One simulated device, expanded from its {@link DeviceGroup}.
 *
 * @param id device id (MQTT username, CoAP PSK identity)
 * @param group the group it belongs to
 * @param secret MQTT password, derived from the scenario's seed and the id
 * @param psk CoAP pre-shared key (text), for CoAP devices; {@code null} otherwise
 * @param clockOffset how far the device's own clock is off
 */
public record DeviceSpec(
    String id, DeviceGroup group, String secret, String psk, Duration clockOffset) {

  public DeviceType type() {
    return group.type();
  }

  public Transport transport() {
    return group.transport();
  }

  public Format format() {
    return group.format();
  }

  public Duration interval() {
    return group.interval();
  }
}
