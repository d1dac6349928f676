package vn.lantern.ioc.kpi;

import java.util.HashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import vn.lantern.common.telemetry.DeviceRef;
import vn.lantern.common.telemetry.Reading;

/**
 * What the KPIs need of one device's recent readings: the time series of the few metrics a KPI
 * reads (by reading time, so late readings land where they belong and a redelivered reading
 * overwrites itself), and the instants it reported at, for data completeness. Not thread-safe: the
 * engine owns it on one event loop.
 */
final class DeviceSeries {
  /** Metrics a KPI reads, by device type. */
  static final Map<String, Set<String>> TRACKED =
      Map.of(
          "water_level", Set.of("level"),
          "rain_gauge", Set.of("rain"),
          "energy", Set.of("energy", "power", "pf"),
          "street_light", Set.of("on", "power"),
          "wastewater", Set.of("ph", "cod", "tss", "nh4", "temperature", "status"));

  private final DeviceRef device;
  private final Map<String, NavigableMap<Long, Double>> series = new HashMap<>();
  private final ReportTimes reportedAt = new ReportTimes();

  DeviceSeries(DeviceRef device) {
    this.device = device;
  }

  DeviceRef device() {
    return device;
  }

  /**
   * Adds a reading; its value is kept if a built-in KPI or one of {@code alsoTracked} (the custom
   * KPIs' metrics of this device's type) reads it.
   */
  void add(Reading reading, Set<String> alsoTracked) {
    reportedAt.add(reading.timestampMs());
    if (TRACKED.getOrDefault(device.type(), Set.of()).contains(reading.metric())
        || alsoTracked.contains(reading.metric())) {
      series
          .computeIfAbsent(reading.metric(), m -> new TreeMap<>())
          .put(reading.timestampMs(), reading.value());
    }
  }

  /** A metric's samples by time (empty if none). */
  NavigableMap<Long, Double> series(String metric) {
    NavigableMap<Long, Double> s = series.get(metric);
    return s == null ? new TreeMap<>() : s;
  }

  /** How many distinct instants it reported at in {@code [start, end)}. */
  int reportsIn(long start, long end) {
    return reportedAt.countIn(start, end);
  }

  /** Time of its latest reading, or {@link Long#MIN_VALUE} if none. */
  long lastReportedAt() {
    return reportedAt.last();
  }

  /** Forgets samples before {@code cutoff}, keeping the last one before it as a baseline. */
  void prune(long cutoff) {
    for (NavigableMap<Long, Double> s : series.values()) {
      Long keep = s.lowerKey(cutoff);
      if (keep != null) {
        s.headMap(keep, false).clear();
      }
    }
    reportedAt.pruneBefore(cutoff);
  }
}
