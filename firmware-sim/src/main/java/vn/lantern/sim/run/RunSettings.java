package vn.lantern.sim.run;

import java.time.Duration;
import vn.lantern.sim.device.DeviceSettings;
import vn.lantern.sim.device.DeviceTls;
import vn.lantern.sim.device.SimClock;

/**
 * How a fleet run goes.
 *
 * @param mqttUri {@code tcp://host:port} or {@code ssl://host:port} for MQTT devices, or {@code
 *     null} when the scenario has none
 * @param coapUri {@code coaps://host:port} for CoAP devices, or {@code null}
 * @param clock scenario time
 * @param wallDuration how long to measure (wall clock); for a backfill, the longest it may take
 * @param drainTimeout how long to wait for the last acknowledgements after measuring stops
 * @param device firmware behaviour
 * @param tls TLS of the devices' uplinks ({@code ssl://}, DTLS with certificates), or {@code null}
 *     for secrets and PSKs with the JVM's CAs
 */
public record RunSettings(
    String mqttUri,
    String coapUri,
    SimClock clock,
    Duration wallDuration,
    Duration drainTimeout,
    DeviceSettings device,
    DeviceTls tls) {

  /** Settings without TLS client files. */
  public RunSettings(
      String mqttUri,
      String coapUri,
      SimClock clock,
      Duration wallDuration,
      Duration drainTimeout,
      DeviceSettings device) {
    this(mqttUri, coapUri, clock, wallDuration, drainTimeout, device, null);
  }
}
