package vn.lantern.ioc.kpi;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.lantern.common.bus.TelemetryBus;
import vn.lantern.common.bus.ZoneEvent;
import vn.lantern.common.bus.ZoneOwnership;
import vn.lantern.common.telemetry.DeviceRef;
import vn.lantern.common.telemetry.Reading;
import vn.lantern.common.telemetry.TelemetryBatch;
import vn.lantern.ioc.IocMeters;
import vn.lantern.rules.Directory;
import vn.lantern.rules.alert.Alert;

/**
 * Computes the KPIs of every zone and site on tumbling windows from the telemetry bus, keeps the
 * current values in memory, writes each window to InfluxDB and hands its snapshot to listeners (the
 * IOC push). Between windows, zones touched by readings or alert transitions are refreshed every
 * {@link KpiConfig#liveRefreshMs()} so the console follows within seconds; the AQI is recomputed
 * from InfluxDB's hourly means. After a restart the current values and the series are rebuilt from
 * InfluxDB. All state lives on one event loop; InfluxDB is called on a worker.
 *
 * <p>In a cluster ({@link TelemetryBus#clustered}) the engine computes its node's zones only, and
 * publishes their values to the other nodes as {@value #KPI_EVENT} events (those that changed, and
 * every value at each window, which repairs what a node missed); it takes theirs likewise. So its
 * current values, its updates (the live stream) and its live roll-ups cover every zone, and a
 * zone's window roll-up, which the zone's owner stores and reports, includes every zone below it
 * wherever they are computed.
 */
public final class KpiEngine {
  private static final Logger LOG = LoggerFactory.getLogger(KpiEngine.class);
  private static final int MAX_REPLAY_PER_DEVICE = 50_000;

  /** The kind of the bus events that carry a zone's KPI values to the other nodes. */
  static final String KPI_EVENT = "kpi";

  /**
   * The kind of the bus events that carry a closed window of a node's zones, computed again after
   * late readings, to the nodes of the zones above them.
   */
  static final String LATE_WINDOW_EVENT = "kpi-late-window";

  private final Vertx vertx;
  private final KpiConfig config;
  private final Directory directory;
  private final Supplier<Collection<Alert>> openAlerts;
  private final KpiStore store;
  private final AirQualityKpis airQuality;
  private final WorkerExecutor worker;
  private final KpiCalculator calculator;
  private final Map<String, DeviceSeries> series = new HashMap<>();
  private final Map<String, KpiValue> current = new ConcurrentHashMap<>();

  /** Each zone's zone-level values from its own devices, before the roll-up, by key. */
  private final Map<String, KpiValue> ownZoneValues = new ConcurrentHashMap<>();

  private final Map<String, KpiValue> airQualityValues = new HashMap<>();
  private final Set<String> dirtyZones = new HashSet<>();

  /** Whether other nodes' zone-level values changed since the last live roll-up. */
  private boolean othersChanged;

  /** Ends of windows already closed that late readings (backfill, a gateway's backlog) changed. */
  private final TreeSet<Long> lateWindows = new TreeSet<>();

  private volatile List<KpiDefinition> definitions = List.of();
  private Map<String, Set<String>> customMetrics = Map.of();
  private final List<Consumer<KpiValue>> updateListeners = new CopyOnWriteArrayList<>();
  private final List<Consumer<KpiSnapshot>> windowListeners = new CopyOnWriteArrayList<>();
  private final Counter windows;
  private final Counter writeFailures;
  private Context context;
  private TelemetryBus.Subscription subscription;

  /** The zones whose KPIs this node computes: each zone's by one node only. */
  private ZoneOwnership owned() {
    return bus == null ? ZoneOwnership.ALL : bus.ownership();
  }

  private TelemetryBus bus;

  /**
   * The zones whose series this engine has followed since it last rebuilt them (confined to its
   * context): every zone's from the start's rebuild; a zone gained later is rebuilt on the move.
   */
  private ZoneOwnership followed = ZoneOwnership.ALL;

  private long liveTimer = -1;
  private long aqiTimer = -1;
  private long windowTimer = -1;
  private boolean stopped;

  /**
   * @param risk the disaster risk figures of the regulation packs, or null: no {@code
   *     disaster_risk_level}
   */
  public KpiEngine(
      Vertx vertx,
      KpiConfig config,
      Directory directory,
      Supplier<Collection<Alert>> openAlerts,
      KpiStore store,
      AirQualityKpis airQuality,
      DisasterRisk risk,
      WorkerExecutor worker,
      MeterRegistry metrics) {
    this.vertx = vertx;
    this.config = config;
    this.directory = directory;
    this.openAlerts = openAlerts;
    this.store = store;
    this.airQuality = airQuality;
    this.worker = worker;
    this.calculator = new KpiCalculator(config, risk);
    this.windows = metrics.counter(IocMeters.KPI_WINDOWS);
    this.writeFailures = metrics.counter(IocMeters.KPI_WRITE_FAILURES);
  }

  /** The configuration in force, with the regulation packs' stations and wastewater sites. */
  public KpiConfig config() {
    return config;
  }

  /** Rebuilds from InfluxDB, then follows the bus and the clock. */
  public Future<Void> start(TelemetryBus bus) {
    this.bus = bus;
    context = vertx.getOrCreateContext();
    long now = System.currentTimeMillis();
    Set<String> types = new TreeSet<>();
    directory.devices().forEach(d -> types.add(d.type()));
    Promise<Void> started = Promise.promise();
    worker
        .executeBlocking(() -> rebuild(types, now), false)
        .onComplete(
            rebuilt ->
                context.runOnContext(
                    v -> {
                      if (rebuilt.succeeded()) {
                        restore(rebuilt.result());
                      } else {
                        LOG.warn(
                            "event=kpi_rebuild_failed error=\"{}\"", rebuilt.cause().getMessage());
                      }
                      subscription = bus.subscribe(this::onBatch);
                      bus.onOwnershipChange(this::ownershipChanged);
                      bus.onEvent(KPI_EVENT, this::onOthersValues);
                      bus.onEvent(LATE_WINDOW_EVENT, this::onOthersLateWindow);
                      liveTimer = vertx.setPeriodic(config.liveRefreshMs(), id -> refreshLive());
                      aqiTimer = vertx.setPeriodic(config.aqiRefreshMs(), id -> refreshAqi());
                      refreshAqi();
                      scheduleWindow();
                      started.complete();
                    }));
    return started.future();
  }

  private record Rebuilt(List<KpiValue> latest, List<KpiStore.StoredReading> readings) {}

  /** Reads the stored KPI values and the readings of {@code types} the series need. Blocking. */
  private Rebuilt rebuild(Set<String> types, long now) {
    long since =
        Math.min(
            calculator.dayStart(now),
            now - Math.max(24 * AirQualityKpis.HOUR_MS, config.completenessPeriodMs()));
    return new Rebuilt(
        store.latest(now - 2 * 24 * AirQualityKpis.HOUR_MS),
        store.readings(types, since, MAX_REPLAY_PER_DEVICE));
  }

  /**
   * Zones moved. A gained zone's series are rebuilt from InfluxDB (this node saw none of its
   * readings while another node owned it) and its stored KPI values taken, then its KPIs are
   * computed and published at once: the console and the IOC push go on without waiting for the
   * zone's next reading, the windows that closed while it had no owner are stored, and the next
   * window is stored from complete series. The bus delivers no batch of a gained zone before the
   * returned future completes.
   */
  private Future<Void> ownershipChanged(ZoneOwnership after) {
    Promise<Void> done = Promise.promise();
    context.runOnContext(
        v -> {
          ZoneOwnership before = followed;
          followed = after;
          Set<String> gained = new TreeSet<>();
          Set<String> types = new TreeSet<>();
          for (DeviceRef d : directory.devices()) {
            if (after.owns(d.zone()) && !before.owns(d.zone())) {
              gained.add(d.zone());
              types.add(d.type());
            }
          }
          if (gained.isEmpty() || stopped) {
            done.complete();
            return;
          }
          long now = System.currentTimeMillis();
          worker
              .executeBlocking(() -> rebuild(types, now), false)
              .onComplete(
                  rebuilt ->
                      context.runOnContext(
                          w -> {
                            if (rebuilt.succeeded()) {
                              restore(rebuilt.result(), gained::contains);
                              markMissedWindows(rebuilt.result().latest(), gained, now);
                            } else {
                              LOG.warn(
                                  "event=kpi_rebuild_failed zones={} error=\"{}\"",
                                  gained,
                                  rebuilt.cause().getMessage());
                            }
                            long at = System.currentTimeMillis();
                            publish(compute(windowStart(at), at + 1, gained::contains));
                            refreshAqi();
                            recomputeLateWindows();
                            LOG.info("event=kpi_zones_gained zones={}", gained);
                            done.complete();
                          }));
        });
    return done.future();
  }

  /**
   * Marks for recomputation the windows that closed after the last one stored for a gained zone:
   * those that closed while no node owned it (a killed owner's session runs out first), at most a
   * day back. A zone never stored has no series to continue.
   */
  private void markMissedWindows(List<KpiValue> stored, Set<String> gained, long now) {
    long lastStored =
        stored.stream()
            .filter(v -> gained.contains(v.zone()))
            .mapToLong(KpiValue::ts)
            .max()
            .orElse(0);
    if (lastStored == 0) {
      return;
    }
    long lastClosed = windowStart(now - config.graceMs());
    long from =
        Math.max(
            lastStored + config.windowMs(), windowStart(lastClosed - 24 * AirQualityKpis.HOUR_MS));
    for (long end = from; end <= lastClosed; end += config.windowMs()) {
      lateWindows.add(end);
    }
  }

  private void restore(Rebuilt rebuilt) {
    restore(rebuilt, zone -> true);
  }

  /** Takes the stored values and replays the stored readings of the zones {@code zones}. */
  private void restore(Rebuilt rebuilt, java.util.function.Predicate<String> zones) {
    Set<String> withZonesBelow = new HashSet<>(directory.zoneParents().values());
    for (KpiValue v : rebuilt.latest()) {
      if (!zones.test(v.zone())) {
        continue;
      }
      current.put(v.key(), v);
      if (v.site() == null && !withZonesBelow.contains(v.zone())) {
        // A stored zone value is rolled up; only a zone with nothing below is its own value.
        ownZoneValues.put(v.key(), v);
      }
      if (v.kpi().equals(KpiNames.AQI) || v.kpi().equals(KpiNames.AQI_HOURS_ABOVE_100)) {
        airQualityValues.put(v.key(), v);
      }
    }
    Map<String, DeviceRef> devices = new HashMap<>();
    for (DeviceRef d : directory.devices()) {
      if (zones.test(d.zone())) {
        devices.put(d.id(), d);
        series.remove(d.id()); // replaced by the stored readings, which hold what it had
      }
    }
    int replayed = 0;
    for (KpiStore.StoredReading r : rebuilt.readings()) {
      DeviceRef device = devices.get(r.device());
      if (device != null) {
        series
            .computeIfAbsent(device.id(), id -> new DeviceSeries(device))
            .add(r.reading(), tracked(device));
        replayed++;
      }
    }
    LOG.info("event=kpi_rebuilt values={} readings={}", rebuilt.latest().size(), replayed);
  }

  /** The custom KPI definitions in force. Thread-safe. */
  public List<KpiDefinition> definitions() {
    return definitions;
  }

  /** Sets the custom KPI definitions (at start, before {@link #start}). */
  public void defineAll(List<KpiDefinition> all) {
    definitions = List.copyOf(all);
    customMetrics = metricsByType(definitions);
  }

  /** Adds or replaces a custom KPI; it is computed from the next refresh on. Thread-safe. */
  public void define(KpiDefinition definition) {
    changeDefinitions(
        list -> {
          list.removeIf(d -> d.name().equals(definition.name()));
          list.add(definition);
        });
  }

  /**
   * Replaces the custom KPIs by {@code all} (changed through another node); the current values of
   * those gone are removed. Thread-safe.
   */
  public void redefineAll(List<KpiDefinition> all) {
    Set<String> kept = new HashSet<>();
    all.forEach(d -> kept.add(d.name()));
    for (KpiDefinition gone : definitions) {
      if (!kept.contains(gone.name())) {
        undefine(gone.name());
      }
    }
    changeDefinitions(
        list -> {
          list.clear();
          list.addAll(all);
        });
  }

  /** Removes a custom KPI and its current values. Thread-safe. */
  public void undefine(String name) {
    changeDefinitions(list -> list.removeIf(d -> d.name().equals(name)));
    current.values().removeIf(v -> v.kpi().equals(name));
    ownZoneValues.values().removeIf(v -> v.kpi().equals(name));
  }

  private synchronized void changeDefinitions(Consumer<List<KpiDefinition>> change) {
    List<KpiDefinition> list = new ArrayList<>(definitions);
    change.accept(list);
    list.sort(java.util.Comparator.comparing(KpiDefinition::name));
    Map<String, Set<String>> metrics = metricsByType(list);
    definitions = List.copyOf(list);
    Context ctx = context;
    if (ctx != null) {
      ctx.runOnContext(
          v -> {
            customMetrics = metrics;
            directory.devices().forEach(d -> dirtyZones.add(d.zone()));
          });
    } else {
      customMetrics = metrics;
    }
  }

  private static Map<String, Set<String>> metricsByType(List<KpiDefinition> definitions) {
    Map<String, Set<String>> metrics = new HashMap<>();
    for (KpiDefinition d : definitions) {
      metrics.computeIfAbsent(d.type(), t -> new HashSet<>()).add(d.metric());
    }
    return metrics;
  }

  private Set<String> tracked(DeviceRef device) {
    return customMetrics.getOrDefault(device.type(), Set.of());
  }

  /** Registers a listener of every KPI value that changed (live refreshes and windows). */
  public void onUpdate(Consumer<KpiValue> listener) {
    updateListeners.add(listener);
  }

  /** Registers a listener of each window's complete snapshot. */
  public void onWindow(Consumer<KpiSnapshot> listener) {
    windowListeners.add(listener);
  }

  /** Marks a zone for a live refresh (an alert opened or closed there). Thread-safe. */
  public void touch(String zone) {
    Context ctx = context;
    if (ctx != null) {
      ctx.runOnContext(v -> dirtyZones.add(zone));
    }
  }

  /** The current values, filtered; null filters match everything. Thread-safe. */
  public List<KpiValue> current(String zone, String site, String kpi) {
    List<KpiValue> list = new ArrayList<>();
    for (KpiValue v : current.values()) {
      if ((zone == null || zone.equals(v.zone()))
          && (site == null || site.equals(v.site()))
          && (kpi == null || kpi.equals(v.kpi()))) {
        list.add(v);
      }
    }
    list.sort(
        java.util.Comparator.comparing(KpiValue::zone)
            .thenComparing(v -> v.site() == null ? "" : v.site())
            .thenComparing(KpiValue::kpi));
    return list;
  }

  private void onBatch(TelemetryBatch batch) {
    DeviceRef device = batch.device();
    DeviceSeries s = series.computeIfAbsent(device.id(), id -> new DeviceSeries(device));
    Set<String> tracked = tracked(device);
    long open = windowStart(System.currentTimeMillis() - config.graceMs());
    long kept = open - Math.max(24 * AirQualityKpis.HOUR_MS, config.completenessPeriodMs());
    for (Reading r : batch.readings()) {
      s.add(r, tracked);
      if (r.timestampMs() < open && r.timestampMs() >= kept) {
        lateWindows.add(windowStart(r.timestampMs()) + config.windowMs());
      }
    }
    dirtyZones.add(device.zone());
  }

  /**
   * Recomputes and stores the closed windows that late readings changed, so KPI history covers
   * backfilled data (as far back as the series are kept, at least a day). Alert counts are left
   * out: only the current ones are known, not those of the past window.
   */
  private void recomputeLateWindows() {
    if (lateWindows.isEmpty()) {
      return;
    }
    List<KpiValue> values = new ArrayList<>();
    ZoneOwnership owned = owned();
    // Other nodes' values of a past window are not known here: a zone above one of their zones
    // keeps the value its owner stored when the window closed.
    Set<String> aboveOthers = zonesAboveOthers(owned);
    for (long end : lateWindows) {
      List<KpiValue> window = compute(end - config.windowMs(), end, owned::owns);
      for (KpiValue v : rolledUp(window, end, false)) {
        if (!v.kpi().startsWith("alerts_open_") && !aboveOthers.contains(v.zone())) {
          values.add(v);
        }
      }
      shareLateWindow(end, window);
    }
    LOG.info("event=kpi_late_windows windows={} values={}", lateWindows.size(), values.size());
    lateWindows.clear();
    storeLate(values);
  }

  /**
   * Sends this node's own zone-level values of a window computed again to the other nodes, whose
   * zones above them are rolled up again ({@link #onOthersLateWindow}).
   */
  private void shareLateWindow(long end, List<KpiValue> window) {
    if (!clustered()) {
      return;
    }
    JsonArray json = new JsonArray();
    for (KpiValue v : window) {
      if (v.site() == null && !v.kpi().startsWith("alerts_open_")) {
        json.add(v.toJson());
      }
    }
    if (!json.isEmpty()) {
      bus.publishEvent(
          new ZoneEvent(
              "", LATE_WINDOW_EVENT, new JsonObject().put("end", end).put("values", json)));
    }
  }

  /**
   * Another node computed a closed window of its zones again: the zones above them that this node
   * owns are rolled up again for that window, over this node's own values of the window, the other
   * node's, and the latest values of any other node's zones (as a live window counts them), and
   * stored again.
   */
  private void onOthersLateWindow(ZoneEvent event) {
    if (stopped) {
      return;
    }
    long end = event.body().getLong("end");
    ZoneOwnership owned = owned();
    Map<String, String> parents = directory.zoneParents();
    Map<String, KpiValue> theirs = new HashMap<>();
    Set<String> above = new HashSet<>();
    for (Object item : event.body().getJsonArray("values", new JsonArray())) {
      KpiValue v = KpiValue.fromJson((JsonObject) item);
      if (owned.owns(v.zone())) {
        continue; // this node's zone now: its own recomputation counts
      }
      theirs.put(v.key(), v);
      for (String z = parents.get(v.zone()); z != null; z = parents.get(z)) {
        if (owned.owns(z)) {
          above.add(z);
        }
      }
    }
    if (above.isEmpty()) {
      return;
    }
    List<KpiValue> zoneLevel = new ArrayList<>(theirs.values());
    for (KpiValue v : compute(end - config.windowMs(), end, owned::owns)) {
      if (v.site() == null) {
        zoneLevel.add(v);
      }
    }
    for (KpiValue v : ownZoneValues.values()) {
      if (!owned.owns(v.zone()) && !theirs.containsKey(v.key())) {
        zoneLevel.add(new KpiValue(v.zone(), null, v.kpi(), v.value(), end, v.attributes()));
      }
    }
    List<KpiValue> values = new ArrayList<>();
    for (KpiValue v : ZoneRollup.rollUp(zoneLevel, parents)) {
      if (above.contains(v.zone()) && !v.kpi().startsWith("alerts_open_")) {
        values.add(v);
      }
    }
    LOG.info("event=kpi_late_window_rolled_up window_end={} values={}", end, values.size());
    storeLate(values);
  }

  /** Stores values of closed windows computed again. */
  private void storeLate(List<KpiValue> values) {
    worker
        .executeBlocking(
            () -> {
              store.write(values);
              return null;
            },
            true)
        .onFailure(
            e -> {
              writeFailures.increment();
              LOG.warn("event=kpi_late_write_failed error=\"{}\"", e.getMessage());
            });
  }

  private void refreshLive() {
    if (othersChanged && !stopped) {
      othersChanged = false;
      rollUpAndPublish();
    }
    if (dirtyZones.isEmpty() || stopped) {
      return;
    }
    Set<String> zones = new HashSet<>(dirtyZones);
    dirtyZones.clear();
    long now = System.currentTimeMillis();
    ZoneOwnership owned = owned();
    publish(compute(windowStart(now), now + 1, z -> zones.contains(z) && owned.owns(z)));
  }

  private List<KpiValue> compute(long start, long end, java.util.function.Predicate<String> zones) {
    return calculator.compute(
        directory.devices(), series, openAlerts.get(), definitions, start, end, zones);
  }

  private long windowStart(long ts) {
    return ts - Math.floorMod(ts, config.windowMs());
  }

  private void refreshAqi() {
    if (stopped) {
      return;
    }
    long now = System.currentTimeMillis();
    aqiValues(now, now)
        .onSuccess(values -> publish(values))
        .onFailure(e -> LOG.warn("event=aqi_refresh_failed error=\"{}\"", e.getMessage()));
  }

  /**
   * Recomputes the AQI KPIs as of {@code now} on the worker, the daily ones of the local day that
   * contains {@code inDay}; completes on the engine's context.
   */
  private Future<List<KpiValue>> aqiValues(long now, long inDay) {
    long day = calculator.dayStart(inDay);
    long dayEnd = calculator.dayEnd(inDay);
    Promise<List<KpiValue>> done = Promise.promise();
    worker
        .executeBlocking(
            () -> {
              ZoneOwnership owned = owned();
              return airQuality.compute(now, day, dayEnd).stream()
                  .filter(a -> owned.owns(a.zone()))
                  .toList();
            },
            false)
        .onComplete(
            result ->
                context.runOnContext(
                    v -> {
                      if (result.succeeded()) {
                        airQualityValues.clear();
                        result.result().forEach(a -> airQualityValues.put(a.key(), a));
                        done.complete(result.result());
                      } else {
                        done.fail(result.cause());
                      }
                    }));
    return done.future();
  }

  private void scheduleWindow() {
    if (stopped) {
      return;
    }
    long now = System.currentTimeMillis();
    long end = windowStart(now - config.graceMs()) + config.windowMs();
    long delay = Math.max(1, end + config.graceMs() - now);
    windowTimer = vertx.setTimer(delay, id -> closeWindow(end));
  }

  /**
   * Computes, stores and hands out the window {@code [end - windowMs, end)}. Its daily AQI is that
   * of the day the window belongs to, so the window ending at local midnight carries the finished
   * day's final value, published and stored once, at the day's end.
   */
  private void closeWindow(long end) {
    long start = end - config.windowMs();
    aqiValues(end, end - 1)
        .recover(
            e -> {
              LOG.warn("event=aqi_refresh_failed error=\"{}\"", e.getMessage());
              return Future.succeededFuture(List.copyOf(airQualityValues.values()));
            })
        .onComplete(
            aqi -> {
              ZoneOwnership owned = owned();
              List<KpiValue> values = new ArrayList<>(compute(start, end, owned::owns));
              for (KpiValue a : aqi.result()) {
                if (!owned.owns(a.zone())) {
                  continue;
                }
                values.add(
                    new KpiValue(a.zone(), a.site(), a.kpi(), a.value(), end, a.attributes()));
              }
              publish(values, true);
              recomputeLateWindows();
              prune(end);
              windows.increment();
              List<KpiValue> stored = rolledUp(values, end, true);
              KpiSnapshot snapshot = new KpiSnapshot(start, end, stored);
              worker
                  .executeBlocking(
                      () -> {
                        store.write(stored);
                        return null;
                      },
                      true)
                  .onFailure(
                      e -> {
                        writeFailures.increment();
                        LOG.warn(
                            "event=kpi_write_failed window_end={} error=\"{}\"",
                            end,
                            e.getMessage());
                      });
              for (Consumer<KpiSnapshot> listener : windowListeners) {
                listener.accept(snapshot);
              }
              scheduleWindow();
            });
  }

  private void prune(long end) {
    long keep =
        Math.min(
            calculator.dayStart(end - 1),
            end - Math.max(24 * AirQualityKpis.HOUR_MS, config.completenessPeriodMs()));
    series.values().forEach(s -> s.prune(keep));
  }

  /**
   * A window's values of this node's zones, with the zone-level ones rolled up the zone tree. On a
   * single node the window covers every zone, so its own values are the whole picture. In a
   * cluster, the zones of other nodes count with their latest values ({@code withOthers}, as of the
   * window's end) in the zones above them that this node owns; the values of the zones it does not
   * own are theirs to store.
   */
  private List<KpiValue> rolledUp(List<KpiValue> values, long end, boolean withOthers) {
    List<KpiValue> out = new ArrayList<>();
    List<KpiValue> zoneLevel = new ArrayList<>();
    for (KpiValue v : values) {
      (v.site() == null ? zoneLevel : out).add(v);
    }
    if (!clustered()) {
      out.addAll(ZoneRollup.rollUp(zoneLevel, directory.zoneParents()));
      return out;
    }
    ZoneOwnership owned = owned();
    if (withOthers) {
      for (KpiValue v : ownZoneValues.values()) {
        if (!owned.owns(v.zone())) {
          zoneLevel.add(new KpiValue(v.zone(), null, v.kpi(), v.value(), end, v.attributes()));
        }
      }
    }
    for (KpiValue v : ZoneRollup.rollUp(zoneLevel, directory.zoneParents())) {
      if (owned.owns(v.zone())) {
        out.add(v);
      }
    }
    return out;
  }

  private boolean clustered() {
    return bus != null && bus.clustered();
  }

  /** The zones above a zone whose values other nodes compute. */
  private Set<String> zonesAboveOthers(ZoneOwnership owned) {
    Map<String, String> parents = directory.zoneParents();
    Set<String> above = new HashSet<>();
    for (KpiValue v : ownZoneValues.values()) {
      if (!owned.owns(v.zone())) {
        for (String z = parents.get(v.zone()); z != null && above.add(z); z = parents.get(z)) {
          // every zone up the tree
        }
      }
    }
    return above;
  }

  private void publish(List<KpiValue> values) {
    publish(values, false);
  }

  /**
   * Updates the current values and tells listeners about those that changed. Zone-level values are
   * each zone's own; what is published for a zone is rolled up over the zones below it. In a
   * cluster the values are also sent to the other nodes: those that changed, or all of them ({@code
   * everything}, at a window).
   */
  private void publish(List<KpiValue> values, boolean everything) {
    boolean zoneLevel = false;
    boolean clustered = clustered();
    List<KpiValue> shared = clustered ? new ArrayList<>() : List.of();
    for (KpiValue v : values) {
      boolean changed;
      if (v.site() == null) {
        changed = !v.sameAs(ownZoneValues.put(v.key(), v));
        zoneLevel = true;
      } else {
        changed = publishOne(v);
      }
      if (clustered && (changed || everything)) {
        shared.add(v);
      }
    }
    if (zoneLevel) {
      rollUpAndPublish();
    }
    share(shared);
  }

  private void rollUpAndPublish() {
    ZoneRollup.rollUp(ownZoneValues.values(), directory.zoneParents()).forEach(this::publishOne);
  }

  /** Sends this node's values to the other nodes, one event per zone. */
  private void share(List<KpiValue> values) {
    if (!clustered() || values.isEmpty()) {
      return;
    }
    Map<String, JsonArray> byZone = new HashMap<>();
    for (KpiValue v : values) {
      byZone.computeIfAbsent(v.zone(), z -> new JsonArray()).add(v.toJson());
    }
    byZone.forEach(
        (zone, json) ->
            bus.publishEvent(new ZoneEvent(zone, KPI_EVENT, new JsonObject().put("values", json))));
  }

  /**
   * Takes another node's values of one of its zones: a site's value is current at once, a zone's
   * own value counts in the next live roll-up. A zone this node now owns keeps its own values.
   */
  private void onOthersValues(ZoneEvent event) {
    if (stopped || owned().owns(event.zone())) {
      return;
    }
    for (Object item : event.body().getJsonArray("values", new JsonArray())) {
      KpiValue v = KpiValue.fromJson((JsonObject) item);
      if (v.site() == null) {
        ownZoneValues.put(v.key(), v);
        othersChanged = true;
      } else {
        publishOne(v);
      }
    }
  }

  /** Makes {@code v} current; tells the listeners and returns true when it changed. */
  private boolean publishOne(KpiValue v) {
    KpiValue previous = current.put(v.key(), v);
    if (v.sameAs(previous)) {
      return false;
    }
    for (Consumer<KpiValue> listener : updateListeners) {
      listener.accept(v);
    }
    return true;
  }

  /** Stops following the bus and the clock. */
  public Future<Void> stop() {
    if (context == null) {
      return Future.succeededFuture();
    }
    Promise<Void> done = Promise.promise();
    context.runOnContext(
        v -> {
          stopped = true;
          if (subscription != null) {
            subscription.close();
          }
          vertx.cancelTimer(liveTimer);
          vertx.cancelTimer(aqiTimer);
          vertx.cancelTimer(windowTimer);
          done.complete();
        });
    return done.future();
  }
}
