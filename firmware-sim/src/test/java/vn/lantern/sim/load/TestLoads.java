package vn.lantern.sim.load;

import java.time.Duration;
import vn.lantern.sim.testing.InProcessNode;
import vn.lantern.testing.TestInflux;

/**
 * The bench tests' small loads against a node of this JVM: QoS 1, one event loop, no rate limit, no
 * TLS client files. Only what a test varies is named at its call.
 */
final class TestLoads {
  private TestLoads() {}

  /**
   * MQTT devices in zone tam-ky, the node's CPU and memory read from this process.
   *
   * @param influx where their readings are looked up afterwards; null: not looked up
   * @param window publishes each device keeps in flight
   */
  static BenchOptions mqtt(
      InProcessNode node,
      TestInflux influx,
      int devices,
      Duration duration,
      int window,
      Duration warmup) {
    return new BenchOptions(
        node.mqttUri(),
        null,
        node.apiUrl(),
        node.apiToken(),
        influx == null ? null : influx.url(),
        influx == null ? null : influx.database(),
        devices,
        duration,
        null,
        1,
        window,
        1,
        "tam-ky",
        ProcessHandle.current().pid(),
        null,
        null,
        warmup);
  }

  /**
   * CoAP devices in zone hoi-an at {@code coapUri}, their readings looked up in {@code influx}.
   *
   * @param window requests each device keeps in flight
   */
  static BenchOptions coap(
      InProcessNode node,
      TestInflux influx,
      String coapUri,
      int devices,
      Duration duration,
      int window) {
    return new BenchOptions(
        null,
        coapUri,
        node.apiUrl(),
        node.apiToken(),
        influx.url(),
        influx.database(),
        devices,
        duration,
        null,
        1,
        window,
        1,
        "hoi-an",
        null,
        null,
        null,
        Duration.ZERO);
  }
}
