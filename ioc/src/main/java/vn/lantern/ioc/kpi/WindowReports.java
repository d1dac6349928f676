package vn.lantern.ioc.kpi;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.lantern.common.bus.TelemetryBus;
import vn.lantern.common.bus.ZoneEvent;
import vn.lantern.common.telemetry.DeviceRef;
import vn.lantern.rules.Directory;

/**
 * One IOC report per window in a cluster. Each rules node computes a window for the zones it owns
 * (a zone above others rolled up by its owner over all of them) and publishes it to the other nodes
 * as a {@value #EVENT} event; every node gathers the windows by their end, and the leading node
 * ({@link TelemetryBus#leads}) reports their union once every zone with devices, and every zone
 * above them, is covered, or after {@code waitMs} with what came (logged with the zones missing, as
 * when a killed node's zones have no owner yet). Each zone's values are in the report once.
 *
 * <p>A node's window travels in events of at most {@link #VALUES_PER_EVENT} values, so that a large
 * province stays under the broker's record size; the last one names the node's zones, and since
 * they share a key they arrive in order, so a node's part is complete when its zones are named.
 */
final class WindowReports {
  private static final Logger LOG = LoggerFactory.getLogger(WindowReports.class);

  /** The kind of the bus events that carry a node's window. */
  static final String EVENT = "kpi-window";

  /** The most KPI values in one event (about 100 KiB of JSON, well under Kafka's 1 MiB). */
  static final int VALUES_PER_EVENT = 500;

  private final Vertx vertx;
  private final TelemetryBus bus;
  private final Directory directory;
  private final long waitMs;
  private final Consumer<KpiSnapshot> report;
  private final Map<Long, Gathered> gathering = new HashMap<>();
  // windows ending at or before this one are reported (or given up)
  private long lastDone;

  /** A window's values gathered so far, by key, and the zones whose node sent them. */
  private static final class Gathered {
    final long start;
    final long timer;
    final Map<String, KpiValue> values = new LinkedHashMap<>();
    final Set<String> zones = new HashSet<>();

    Gathered(long start, long timer) {
      this.start = start;
      this.timer = timer;
    }
  }

  /**
   * @param waitMs how long after a window's first part the leader reports it even if incomplete
   * @param report takes the complete window on the leading node
   */
  WindowReports(
      Vertx vertx,
      TelemetryBus bus,
      Directory directory,
      long waitMs,
      Consumer<KpiSnapshot> report) {
    this.vertx = vertx;
    this.bus = bus;
    this.directory = directory;
    this.waitMs = waitMs;
    this.report = report;
  }

  /** Takes this node's window of its own zones and publishes it to the other nodes. */
  synchronized void own(KpiSnapshot window) {
    List<String> zones = expected().stream().filter(bus.ownership()::owns).sorted().toList();
    List<KpiValue> values = window.values();
    int from = 0;
    do {
      int to = Math.min(values.size(), from + VALUES_PER_EVENT);
      KpiSnapshot part =
          new KpiSnapshot(window.windowStart(), window.windowEnd(), values.subList(from, to));
      JsonArray named = to == values.size() ? new JsonArray(zones) : new JsonArray();
      bus.publishEvent(new ZoneEvent("", EVENT, part.toJson().put("zones", named)));
      from = to;
    } while (from < values.size());
    add(window.windowStart(), window.windowEnd(), values, zones);
  }

  /** Takes another node's window. */
  synchronized void others(ZoneEvent event) {
    JsonObject body = event.body();
    List<KpiValue> values =
        body.getJsonArray("items", new JsonArray()).stream()
            .map(item -> KpiValue.fromJson((JsonObject) item))
            .toList();
    List<String> zones =
        body.getJsonArray("zones", new JsonArray()).stream().map(String.class::cast).toList();
    add(body.getLong("windowStart"), body.getLong("windowEnd"), values, zones);
  }

  private void add(long start, long end, List<KpiValue> values, List<String> zones) {
    if (end <= lastDone) {
      LOG.info("event=kpi_report_part_late window_end={} zones={}", end, zones);
      return;
    }
    Gathered window =
        gathering.computeIfAbsent(
            end, e -> new Gathered(start, vertx.setTimer(waitMs, id -> timedOut(end))));
    values.forEach(v -> window.values.put(v.key(), v));
    window.zones.addAll(zones);
    if (window.zones.containsAll(expected())) {
      done(end, window);
    }
  }

  private synchronized void timedOut(long end) {
    Gathered window = gathering.get(end);
    if (window != null) {
      Set<String> missing = new TreeSet<>(expected());
      missing.removeAll(window.zones);
      LOG.warn("event=kpi_report_incomplete window_end={} missing={}", end, missing);
      done(end, window);
    }
  }

  private void done(long end, Gathered window) {
    gathering.remove(end);
    vertx.cancelTimer(window.timer);
    lastDone = Math.max(lastDone, end);
    if (bus.leads()) {
      report.accept(new KpiSnapshot(window.start, end, List.copyOf(window.values.values())));
    }
  }

  /** The zones a window covers: those with devices, and every zone above them. */
  private Set<String> expected() {
    Map<String, String> parents = directory.zoneParents();
    Set<String> zones = new HashSet<>();
    for (DeviceRef d : directory.devices()) {
      for (String z = d.zone(); z != null && zones.add(z); z = parents.get(z)) {
        // every zone up the tree, once
      }
    }
    return zones;
  }
}
