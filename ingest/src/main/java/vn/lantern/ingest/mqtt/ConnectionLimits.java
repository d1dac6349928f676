package vn.lantern.ingest.mqtt;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import vn.lantern.ingest.ConnectionRefusalLog;
import vn.lantern.ingest.ConnectionRefusalLog.Limit;
import vn.lantern.ingest.IngestMeters;

/**
 * Caps open MQTT connections per client address (checked at CONNECT, before any hashing) and per
 * authenticated device, so one address or one leaked credential cannot take every socket. A key
 * lives only while it has open connections, so the tables are bounded by the connections
 * themselves. Refusals are counted and logged ({@link ConnectionRefusalLog}).
 */
final class ConnectionLimits {
  private final int perAddress;
  private final int perDevice;
  private final Map<String, Integer> byAddress = new ConcurrentHashMap<>();
  private final Map<String, Integer> byDevice = new ConcurrentHashMap<>();
  private final Counter addressRefusals;
  private final Counter deviceRefusals;
  private final ConnectionRefusalLog refusalLog = new ConnectionRefusalLog();

  ConnectionLimits(int perAddress, int perDevice, MeterRegistry metrics) {
    if (perAddress < 1 || perDevice < 1) {
      throw new IllegalArgumentException("connection limits must be positive");
    }
    this.perAddress = perAddress;
    this.perDevice = perDevice;
    this.addressRefusals = refusals(metrics, "per_address");
    this.deviceRefusals = refusals(metrics, "per_device");
  }

  private static Counter refusals(MeterRegistry metrics, String reason) {
    return Counter.builder(IngestMeters.CONNECTIONS_REFUSED)
        .description("MQTT connections refused by a connection limit")
        .tag("protocol", "mqtt")
        .tag("reason", reason)
        .register(metrics);
  }

  /**
   * Takes a slot for a new connection from {@code address}; false (counted, logged) when none is
   * left.
   *
   * @param username the user name of its CONNECT, for the log; may be null
   */
  boolean openFromAddress(String address, String username) {
    if (open(byAddress, address, perAddress, addressRefusals)) {
      return true;
    }
    refusalLog.refused("mqtt", Limit.PER_ADDRESS, address, username);
    return false;
  }

  void closeFromAddress(String address) {
    close(byAddress, address);
  }

  /**
   * Takes a slot for a connection of {@code deviceId}; false (counted, logged) when none is left.
   *
   * @param address the client's address, for the log
   */
  boolean openForDevice(String deviceId, String address) {
    if (open(byDevice, deviceId, perDevice, deviceRefusals)) {
      return true;
    }
    refusalLog.refused("mqtt", Limit.PER_DEVICE, address, deviceId);
    return false;
  }

  void closeForDevice(String deviceId) {
    close(byDevice, deviceId);
  }

  private static boolean open(Map<String, Integer> table, String key, int max, Counter refusals) {
    boolean[] taken = new boolean[1];
    table.compute(
        key,
        (k, n) -> {
          int open = n == null ? 0 : n;
          taken[0] = open < max;
          return taken[0] ? open + 1 : n;
        });
    if (!taken[0]) {
      refusals.increment();
    }
    return taken[0];
  }

  private static void close(Map<String, Integer> table, String key) {
    table.computeIfPresent(key, (k, n) -> n <= 1 ? null : n - 1);
  }
}
