package vn.lantern.sim.device;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every acknowledged reading by device: its measurement and timestamps. After a run it is checked
 * against InfluxDB, since an acknowledged reading must be stored.
 */
public final class AckLedger {
  /** The acknowledged readings of one device. */
  public record Entry(String measurement, Set<Long> timestamps) {}

  private final Map<String, Entry> byDevice = new ConcurrentHashMap<>();

  /** Records one acknowledged reading. */
  public void record(String deviceId, String measurement, long timestampMs) {
    byDevice
        .computeIfAbsent(deviceId, id -> new Entry(measurement, ConcurrentHashMap.newKeySet()))
        .timestamps()
        .add(timestampMs);
  }

  /** Device id → its acknowledged readings. */
  public Map<String, Entry> byDevice() {
    return Map.copyOf(byDevice);
  }

  /** How many distinct readings were acknowledged. */
  public long size() {
    return byDevice.values().stream().mapToLong(e -> e.timestamps().size()).sum();
  }
}
