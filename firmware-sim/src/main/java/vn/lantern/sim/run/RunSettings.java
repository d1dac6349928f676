package vn.lantern.sim.run;

import java.time.Duration;
import vn.lantern.sim.device.DeviceSettings;
import vn.lantern.sim.device.SimClock;

/**
 * How a fleet run goes.
 *
 * @param mqttUri {@code tcp://host:port} for MQTT devices, or {@code null} when the scenario has
 *     none
 * @param coapUri {@code coaps://host:port} for CoAP devices, or {@code null}
 * @param clock scenario time
 * @param wallDuration how long to measure (wall clock); for a backfill, the longest it may take
 * @param drainTimeout how long to wait for the last acknowledgements after measuring stops
 * @param device firmware behaviour
 */
public record RunSettings(
    String mqttUri,
    String coapUri,
    SimClock clock,
    Duration wallDuration,
    Duration drainTimeout,
    DeviceSettings device) {}
