package vn.lantern.rules.eval;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import vn.lantern.common.telemetry.Reading;

/**
 * Leaves out of rule evaluation the readings an analyser took while calibrating or in maintenance
 * or fault (Circular 10/2021 status 01/02): a reading is dropped when its batch carries, at the
 * same timestamp, a non-zero {@code status} (the station's) or {@code status_<metric>} (its own
 * analyser's). Status readings themselves pass, so rules may still watch them.
 */
final class MaintenanceFilter {
  private static final String STATUS = "status";
  private static final String STATUS_PREFIX = "status_";

  private MaintenanceFilter() {}

  /** The readings rules may judge; the same list when nothing is under maintenance. */
  static List<Reading> measuring(List<Reading> readings) {
    Map<Long, List<String>> notMeasuring = null;
    for (int i = 0; i < readings.size(); i++) {
      Reading r = readings.get(i);
      if (isStatus(r.metric()) && Math.round(r.value()) != 0) {
        if (notMeasuring == null) {
          notMeasuring = new HashMap<>();
        }
        notMeasuring.computeIfAbsent(r.timestampMs(), ts -> new ArrayList<>()).add(r.metric());
      }
    }
    if (notMeasuring == null) {
      return readings; // the hot path: no status, or all measuring
    }
    List<Reading> kept = new ArrayList<>(readings.size());
    for (Reading r : readings) {
      List<String> statuses = notMeasuring.get(r.timestampMs());
      boolean excluded =
          statuses != null
              && !isStatus(r.metric())
              && (statuses.contains(STATUS) || statuses.contains(STATUS_PREFIX + r.metric()));
      if (!excluded) {
        kept.add(r);
      }
    }
    return kept;
  }

  private static boolean isStatus(String metric) {
    return metric.equals(STATUS) || metric.startsWith(STATUS_PREFIX);
  }
}
