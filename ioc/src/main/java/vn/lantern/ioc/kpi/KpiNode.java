package vn.lantern.ioc.kpi;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.StaticHandler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.lantern.auth.ApiRoutes;
import vn.lantern.common.bus.TelemetryBus;
import vn.lantern.common.bus.ZoneEvent;
import vn.lantern.common.influx.InfluxClients;
import vn.lantern.common.influx.InfluxSettings;
import vn.lantern.common.influx.PointBatcher;
import vn.lantern.common.store.DatabaseSettings;
import vn.lantern.common.store.ZoneReferences;
import vn.lantern.ioc.docs.ApiDocs;
import vn.lantern.ioc.push.IocPusher;
import vn.lantern.ioc.push.IocReport;
import vn.lantern.ioc.stream.EventHub;
import vn.lantern.ioc.stream.StreamApi;
import vn.lantern.rules.Directory;
import vn.lantern.rules.alert.AlertEvent;
import vn.lantern.rules.alert.AlertFeed;
import vn.lantern.rules.regulation.Regulations;

/**
 * The operations-center side of the rules node assembled: the KPI engine on the telemetry bus, the
 * KPI API, the live stream of KPI updates and alert transitions, the push of each window to the
 * provincial IOC, and the console (static files at {@code /}).
 */
public final class KpiNode {
  private static final Logger LOG = LoggerFactory.getLogger(KpiNode.class);
  private static final long HEARTBEAT_MS = 15_000;

  /** The stream events, and the bus events, of alert transitions. */
  private static final String ALERT_EVENT = "alert";

  /** Longest wait, in a cluster, for the other nodes' parts of a window's IOC report. */
  private static final long MAX_REPORT_WAIT_MS = 10_000;

  /** KPI values held while InfluxDB is unreachable. */
  private static final int KPI_POINTS_BUFFERED = 100_000;

  private final KpiEngine engine;
  private final EventHub hub;
  private final IocPusher ioc;
  private final InfluxClients influx;
  private final PointBatcher writes;
  private final WorkerExecutor worker;
  private final KpiDefinitionStore definitions;

  private KpiNode(
      KpiEngine engine,
      EventHub hub,
      IocPusher ioc,
      InfluxClients influx,
      PointBatcher writes,
      WorkerExecutor worker,
      KpiDefinitionStore definitions) {
    this.engine = engine;
    this.hub = hub;
    this.ioc = ioc;
    this.influx = influx;
    this.writes = writes;
    this.worker = worker;
    this.definitions = definitions;
  }

  /**
   * Starts the engine and mounts the routes.
   *
   * @param dataDirectory where the KPI definitions' store lives
   * @param influxSettings the node's InfluxDB (readings in, KPI values out)
   * @param regulations the regulation packs: the river stations' alarm levels (unless the
   *     configuration sets others), the wastewater sites' Kq and Kf, the disaster risk figures
   */
  public static Future<KpiNode> start(
      Vertx vertx,
      String dataDirectory,
      DatabaseSettings db,
      InfluxSettings influxSettings,
      KpiConfig configured,
      Regulations regulations,
      TelemetryBus bus,
      Directory directory,
      AlertFeed alerts,
      Router router,
      MeterRegistry metrics) {
    KpiConfig config =
        configured
            .withStations(regulations.floodStations())
            .withWastewaterSites(regulations.wastewaterSites());
    InfluxClients influx = InfluxClients.acquire(influxSettings);
    PointBatcher writes =
        new PointBatcher(influx.client(), influxSettings, "kpi", KPI_POINTS_BUFFERED, metrics);
    WorkerExecutor worker = vertx.createSharedWorkerExecutor("lantern-kpi", 2);
    KpiStore store = new KpiStore(influx.client(), influxSettings.database(), writes);
    KpiEngine engine =
        new KpiEngine(
            vertx,
            config,
            directory,
            alerts::openAlerts,
            store,
            new AirQualityKpis(influx.client(), influxSettings.database()),
            DisasterRisk.of(regulations).orElse(null),
            worker,
            metrics);
    EventHub hub = new EventHub(config.streamBufferSize(), metrics);
    IocPusher ioc = new IocPusher(vertx, config.ioc(), metrics);
    engine.onUpdate(v -> hub.publish("kpi", v.zone(), v.toJson().encode()));
    Consumer<KpiSnapshot> report =
        window -> ioc.push(new IocReport(window.windowEnd(), window.toJson()));
    if (bus.clustered()) {
      WindowReports reports =
          new WindowReports(
              vertx, bus, directory, Math.min(config.windowMs() / 2, MAX_REPORT_WAIT_MS), report);
      engine.onWindow(reports::own);
      bus.onEvent(WindowReports.EVENT, reports::others);
    } else {
      engine.onWindow(report);
    }
    alerts.onAlertEvent(
        event -> {
          String zone = event.alert().zone();
          JsonObject json = alertJson(event);
          hub.publish(ALERT_EVENT, zone, json.encode());
          engine.touch(zone);
          if (bus.clustered()) {
            bus.publishEvent(new ZoneEvent(zone, ALERT_EVENT, json));
          }
        });
    // Another node's alert transitions: its zones' (a node shows its own as they happen, and never
    // gets them back from the bus)
    bus.onEvent(
        ALERT_EVENT, event -> hub.publish(ALERT_EVENT, event.zone(), event.body().encode()));
    ApiRoutes api = new ApiRoutes(router);
    new StreamApi(
            vertx,
            hub,
            HEARTBEAT_MS,
            config.streamMaxSubscribers(),
            config.streamMaxSubscribersPerUser(),
            metrics)
        .mount(api);
    new KpiApi(engine, store, directory, worker, hub::lastId, config.windowMs()).mount(api);
    ioc.mount(api);
    ApiDocs.mount(router);
    router
        .route("/*")
        .order(Integer.MAX_VALUE)
        .handler(StaticHandler.create("console").setCachingEnabled(false));
    return worker
        .executeBlocking(
            () -> {
              Path dataDir = Path.of(dataDirectory);
              Files.createDirectories(dataDir);
              KpiDefinitionStore definitions = KpiDefinitionStore.open(db, dataDir);
              engine.defineAll(definitions.all());
              return definitions;
            },
            true)
        .compose(
            definitions -> {
              new KpiDefinitionsApi(
                      definitions,
                      engine,
                      worker,
                      directory::zoneExists,
                      zone -> {
                        if (bus.clustered()) {
                          bus.publishEvent(KpiDefinitionStore.changed(zone));
                        }
                      })
                  .mount(api);
              // definitions changed through another node (its API, a zone merge on an ingest node)
              bus.onEvent(
                  KpiDefinitionStore.CHANGED_EVENT,
                  event ->
                      worker
                          .executeBlocking(definitions::all, false)
                          .onSuccess(engine::redefineAll)
                          .onFailure(
                              e ->
                                  LOG.warn(
                                      "event=kpi_definitions_reload_failed error=\"{}\"",
                                      e.getMessage())));
              return engine
                  .start(bus)
                  .map(v -> new KpiNode(engine, hub, ioc, influx, writes, worker, definitions));
            });
  }

  private static JsonObject alertJson(AlertEvent event) {
    JsonObject json =
        new JsonObject()
            .put("transition", event.kind())
            .put("actor", event.actor())
            .put("at", event.at())
            .put("alert", event.alert().toJson());
    if (event.note() != null) {
      json.put("note", event.note());
    }
    return json;
  }

  /** The KPI definitions' zone references, moved by a zone merge. */
  public ZoneReferences zoneReferences() {
    return definitions.zoneReferences(engine);
  }

  public KpiEngine engine() {
    return engine;
  }

  public EventHub hub() {
    return hub;
  }

  public IocPusher ioc() {
    return ioc;
  }

  /** Stops the engine and closes its connections. */
  public Future<Void> stop(Vertx vertx) {
    return engine
        .stop()
        .eventually(() -> worker.executeBlocking(() -> null, true))
        .eventually(worker::close)
        .eventually(
            () ->
                vertx.executeBlocking(
                    () -> {
                      ioc.close();
                      writes.close();
                      influx.close();
                      definitions.close();
                      return null;
                    }))
        .mapEmpty();
  }
}
