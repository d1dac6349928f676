package vn.lantern.deploy;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.lantern.auth.Authenticator;
import vn.lantern.common.build.BuildInfo;
import vn.lantern.common.build.VersionProvider;
import vn.lantern.ingest.IngestConfig;
import vn.lantern.ingest.IngestNode;
import vn.lantern.ingest.registry.Provisioner;
import vn.lantern.ioc.kpi.KpiNode;
import vn.lantern.rules.RulesNode;

/**
 * The all-in-one node: one JVM running the ingest node and the HTTP API (rules and console join it
 * as they arrive). Started by {@code ./lantern run} and {@code ./lantern demo}.
 */
public final class StandaloneNode implements RunningNode {
  private static final Logger LOG = LoggerFactory.getLogger(StandaloneNode.class);

  private final Vertx vertx;
  private final IngestNode ingest;
  private final RulesNode rules;
  private final KpiNode kpis;
  private final Router router;
  private final HttpListeners http;

  private StandaloneNode(
      Vertx vertx,
      IngestNode ingest,
      RulesNode rules,
      KpiNode kpis,
      Router router,
      HttpListeners http) {
    this.vertx = vertx;
    this.ingest = ingest;
    this.rules = rules;
    this.kpis = kpis;
    this.router = router;
    this.http = http;
  }

  /** Applies the provisioning file, if any, to the registry. */
  private static Future<IngestNode> provision(IngestNode ingest, Path provisionFile) {
    if (provisionFile == null) {
      return Future.succeededFuture(ingest);
    }
    return new Provisioner(ingest.registry())
        .apply(provisionFile)
        .map(
            n -> {
              LOG.info("event=provisioned file={} devices={}", provisionFile, n);
              return ingest;
            });
  }

  /**
   * Starts a node.
   *
   * @param provisionFile devices and zones to create or update at start, or {@code null}
   */
  public static Future<StandaloneNode> start(NodeConfig nodeConfig, Path provisionFile) {
    IngestConfig config = nodeConfig.ingest();
    PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Vertx vertx = NodeSupport.newVertx(metrics);
    Promise<Authenticator> authenticator = Promise.promise();
    Router router = NodeSupport.baseRouter(vertx, metrics, config.http(), authenticator.future());
    return IngestNode.start(vertx, config, metrics, router)
        .compose(ingest -> provision(ingest, provisionFile))
        .compose(
            ingest -> {
              RegistryDirectory directory = new RegistryDirectory(ingest.registry());
              return RulesNode.start(
                      vertx, nodeConfig.rules(), ingest.bus(), directory, router, metrics)
                  .onSuccess(rules -> authenticator.complete(rules.authenticator()))
                  .compose(
                      rules ->
                          KpiNode.start(
                                  vertx,
                                  nodeConfig.rules().dataDir(),
                                  nodeConfig.rules().db(),
                                  nodeConfig.rules().influx(),
                                  nodeConfig.kpis(),
                                  rules.regulations(),
                                  ingest.bus(),
                                  directory,
                                  rules,
                                  router,
                                  metrics)
                              .compose(
                                  kpis -> {
                                    // A zone merge moves every part's references in one
                                    // transaction; tokens follow the merged ids.
                                    ingest.registry().addZoneReferences(rules.zoneReferences());
                                    ingest.registry().addZoneReferences(kpis.zoneReferences());
                                    rules.followZoneAliases(ingest.registry()::aliases);
                                    return HttpListeners.start(
                                            vertx, router, config, ingest.tls().orElse(null))
                                        .map(
                                            server ->
                                                new StandaloneNode(
                                                    vertx, ingest, rules, kpis, router, server));
                                  }));
            })
        .onSuccess(
            node ->
                LOG.info(
                    "event=node_started version={} commit={} http_port={} https_port={} mqtt_port={}"
                        + " mqtts_port={} influx={} native_transport={}",
                    BuildInfo.current().version(),
                    BuildInfo.current().commit(),
                    node.httpPort(),
                    node.httpsPort(),
                    node.mqttPort(),
                    node.ingest().mqttsPort(),
                    config.influx().url(),
                    vertx.isNativeTransportEnabled()))
        .onFailure(e -> vertx.close());
  }

  /** The node's Vert.x. */
  public Vertx vertx() {
    return vertx;
  }

  /** The plain HTTP port, or -1 when it is off. */
  public int httpPort() {
    return http.port();
  }

  /** The HTTPS port, or -1 without a certificate. */
  public int httpsPort() {
    return http.tlsPort();
  }

  public int mqttPort() {
    return ingest.mqttPort();
  }

  public IngestNode ingest() {
    return ingest;
  }

  public RulesNode rules() {
    return rules;
  }

  public KpiNode kpis() {
    return kpis;
  }

  /** The node's HTTP router (tests walk its routes). */
  Router router() {
    return router;
  }

  /**
   * Stops accepting, flushes pending writes and closes everything, waiting up to {@code timeout}.
   * Call from a thread that is not a Vert.x event loop.
   */
  @Override
  public void close(java.time.Duration timeout) throws Exception {
    try {
      http.close()
          .eventually(() -> kpis.stop(vertx))
          .eventually(() -> rules.stop(vertx))
          .eventually(() -> ingest.stop(vertx))
          .toCompletionStage()
          .toCompletableFuture()
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }
  }

  /** Command line entry point: runs until interrupted (Ctrl-C / SIGTERM). */
  public static void main(String[] args) {
    System.exit(new picocli.CommandLine(new RunCommand()).execute(args));
  }

  /** {@code lantern run} options. */
  @picocli.CommandLine.Command(
      name = "lantern run",
      mixinStandardHelpOptions = true,
      versionProvider = VersionProvider.class,
      description = "Runs a Lantern node in the foreground.")
  static final class RunCommand implements java.util.concurrent.Callable<Integer> {
    @picocli.CommandLine.Option(
        names = "--config",
        description = "YAML config file; LANTERN_* environment variables override it")
    Path config;

    @picocli.CommandLine.Option(
        names = "--provision",
        description = "zones and devices (YAML) to create or update at start")
    Path provision;

    @picocli.CommandLine.Option(
        names = "--role",
        defaultValue = "standalone",
        description =
            "standalone (everything in one JVM), ingest (endpoints and registry, publishing to"
                + " Kafka) or rules (rules, KPIs, API and console, consuming Kafka);"
                + " default: ${DEFAULT-VALUE}")
    Role role;

    @Override
    public Integer call() throws Exception {
      NodeConfig cfg;
      try {
        cfg = NodeConfig.load(config, System.getenv());
      } catch (vn.lantern.common.config.ConfigLoader.ConfigException e) {
        LOG.error("event=node_start_refused error=\"{}\"", e.getMessage());
        return 2;
      }
      RunningNode node;
      try {
        node = startRole(cfg).toCompletionStage().toCompletableFuture().get();
      } catch (java.util.concurrent.ExecutionException e) {
        LOG.error("event=node_start_failed error=\"{}\"", e.getCause().getMessage());
        return 1;
      }
      CountDownLatch stopped = new CountDownLatch(1);
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    LOG.info("event=node_stopping");
                    try {
                      node.close(java.time.Duration.ofSeconds(15));
                    } catch (Exception e) {
                      LOG.warn("event=node_stop_incomplete error=\"{}\"", e.toString());
                    }
                    stopped.countDown();
                  }));
      stopped.await();
      return 0;
    }

    private Future<? extends RunningNode> startRole(NodeConfig cfg) {
      return switch (role) {
        case standalone -> start(cfg, provision);
        case ingest -> IngestRoleNode.start(cfg.ingest(), cfg.scaleOut(), provision);
        case rules ->
            provision != null
                ? Future.failedFuture(
                    new IllegalArgumentException("--provision belongs to the ingest node"))
                : RulesRoleNode.start(cfg.ingest(), cfg.rules(), cfg.kpis(), cfg.scaleOut());
      };
    }
  }

  /** What a process runs. */
  enum Role {
    standalone,
    ingest,
    rules
  }
}
