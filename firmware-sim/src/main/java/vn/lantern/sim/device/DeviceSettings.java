package vn.lantern.sim.device;

import java.time.Duration;

/**
 * Firmware behaviour shared by the simulated devices.
 *
 * @param queueCapacity readings a device keeps while it cannot send; the oldest go first when full
 * @param window readings in flight (sent, not yet acknowledged) per device
 * @param ackTimeout how long a device waits for an acknowledgement before it reconnects and sends
 *     again
 * @param backoff reconnect delays
 */
public record DeviceSettings(int queueCapacity, int window, Duration ackTimeout, Backoff backoff) {

  /** Values like a small sensor node's: room for a few hours of readings, one message in flight. */
  public static DeviceSettings defaults() {
    return new DeviceSettings(
        1000,
        4,
        Duration.ofSeconds(20),
        new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30)));
  }
}
