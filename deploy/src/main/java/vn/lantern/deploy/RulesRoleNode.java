package vn.lantern.deploy;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.nio.file.Path;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.lantern.auth.Authenticator;
import vn.lantern.common.http.ApiErrors;
import vn.lantern.deploy.kafka.KafkaTelemetryBus;
import vn.lantern.ingest.IngestConfig;
import vn.lantern.ioc.kpi.KpiConfig;
import vn.lantern.ioc.kpi.KpiNode;
import vn.lantern.rules.RulesConfig;
import vn.lantern.rules.RulesNode;

/**
 * {@code ./lantern run --role rules}: the rules and KPI engines, their API ({@code /api/v1} rules,
 * alerts, KPIs, stream, login) and the console, reading telemetry from Kafka as a member of the
 * rules consumer group and the device registry from an ingest node's API.
 */
public final class RulesRoleNode implements RunningNode {
  private static final Logger LOG = LoggerFactory.getLogger(RulesRoleNode.class);

  private final Vertx vertx;
  private final KafkaTelemetryBus bus;
  private final RemoteDirectory directory;
  private final RulesNode rules;
  private final KpiNode kpis;
  private final HttpListeners http;
  private final long refreshTimer;

  private RulesRoleNode(
      Vertx vertx,
      KafkaTelemetryBus bus,
      RemoteDirectory directory,
      RulesNode rules,
      KpiNode kpis,
      HttpListeners http,
      long refreshTimer) {
    this.refreshTimer = refreshTimer;
    this.vertx = vertx;
    this.bus = bus;
    this.directory = directory;
    this.rules = rules;
    this.kpis = kpis;
    this.http = http;
  }

  /**
   * Starts the node: reads the directory once (failing if the ingest API cannot be read), then
   * starts the engines and joins the consumer group.
   *
   * @param config HTTP listener, data directory and InfluxDB of this node
   */
  public static Future<RulesRoleNode> start(
      IngestConfig config, RulesConfig rulesConfig, KpiConfig kpiConfig, ScaleOutConfig scaleOut) {
    if (scaleOut.ingestApi().isBlank() || scaleOut.apiToken().isBlank()) {
      return Future.failedFuture(
          new IllegalArgumentException(
              "the rules role requires LANTERN_INGEST_API and LANTERN_API_TOKEN"));
    }
    PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Vertx vertx = NodeSupport.newVertx(metrics);
    KafkaTelemetryBus bus;
    RemoteDirectory directory;
    try {
      bus = new KafkaTelemetryBus(vertx, scaleOut.kafka(), metrics);
      directory =
          new RemoteDirectory(
              vertx,
              scaleOut.ingestApi(),
              scaleOut.apiToken(),
              rulesConfig.db(),
              Path.of(rulesConfig.dataDir()));
    } catch (RuntimeException e) {
      vertx.close();
      return Future.failedFuture(e);
    }
    Promise<Authenticator> authenticator = Promise.promise();
    Router router = NodeSupport.baseRouter(vertx, metrics, config.http(), authenticator.future());
    // liveness, as on the other roles: the process answers (what cluster up and probes wait for)
    router
        .get("/health/live")
        .handler(ctx -> ApiErrors.json(ctx, 200, new JsonObject().put("status", "UP")));
    // readiness: its member of the rules group polls (the chart probes /health/ready)
    io.vertx.core.Handler<io.vertx.ext.web.RoutingContext> health =
        ctx -> {
          JsonObject kafka = bus.health();
          boolean up = "UP".equals(kafka.getString("status"));
          ApiErrors.json(
              ctx,
              up ? 200 : 503,
              new JsonObject()
                  .put("status", up ? "up" : "down")
                  .put("role", "rules")
                  .put("kafka", kafka)
                  .put("directory", new JsonObject().put("devices", directory.devices().size())));
        };
    router.get("/health").handler(health);
    router.get("/health/ready").handler(health);
    RulesNode[] started = new RulesNode[1];
    long[] refreshTimer = {-1};
    return directory
        .start(scaleOut.directoryRefreshMs())
        .compose(v -> RulesNode.start(vertx, rulesConfig, bus, directory, router, metrics))
        .onSuccess(rules -> authenticator.complete(rules.authenticator()))
        .onSuccess(rules -> rules.followZoneAliases(directory::zoneAliases))
        .onSuccess(
            rules ->
                // rules saved through another rules node reach this one's engine
                refreshTimer[0] =
                    vertx.setPeriodic(
                        scaleOut.directoryRefreshMs(),
                        id ->
                            rules
                                .refreshRules()
                                .onFailure(
                                    e ->
                                        LOG.warn(
                                            "event=rules_refresh_failed error=\"{}\"",
                                            e.getMessage()))))
        .compose(
            rules -> {
              started[0] = rules;
              return KpiNode.start(
                  vertx,
                  rulesConfig.dataDir(),
                  rulesConfig.db(),
                  rulesConfig.influx(),
                  kpiConfig,
                  rules.regulations(),
                  bus,
                  directory,
                  rules,
                  router,
                  metrics);
            })
        .compose(
            kpis ->
                HttpListeners.startWithOwnCertificate(vertx, router, config)
                    .map(
                        server ->
                            new RulesRoleNode(
                                vertx, bus, directory, started[0], kpis, server, refreshTimer[0])))
        .onSuccess(
            node ->
                LOG.info(
                    "event=node_started role=rules http_port={} kafka={} topic={} group={}"
                        + " ingest_api={}",
                    node.httpPort(),
                    scaleOut.kafka().bootstrap(),
                    scaleOut.kafka().topic(),
                    scaleOut.kafka().group(),
                    scaleOut.ingestApi()))
        .onFailure(
            e ->
                vertx
                    .executeBlocking(
                        () -> {
                          directory.stop();
                          bus.close();
                          return null;
                        })
                    .eventually(vertx::close));
  }

  /** The plain HTTP port, or -1 when it is off. */
  public int httpPort() {
    return http.port();
  }

  /** The Kafka bus this node consumes (its partition assignment shows it has joined the group). */
  public KafkaTelemetryBus bus() {
    return bus;
  }

  @Override
  public void close(Duration timeout) throws Exception {
    vertx.cancelTimer(refreshTimer);
    try {
      NodeSupport.await(
          http.close().eventually(() -> kpis.stop(vertx)).eventually(() -> rules.stop(vertx)),
          timeout);
    } finally {
      directory.stop(); // here, off the event loop: it may close the relational store
      bus.close();
      NodeSupport.await(vertx.close(), Duration.ofSeconds(5));
    }
  }
}
