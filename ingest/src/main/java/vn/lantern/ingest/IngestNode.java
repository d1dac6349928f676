package vn.lantern.ingest;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.lantern.auth.ApiRoutes;
import vn.lantern.auth.audit.AuditLog;
import vn.lantern.common.bus.TelemetryBus;
import vn.lantern.common.store.RelationalStore;
import vn.lantern.ingest.bus.LocalTelemetryBus;
import vn.lantern.ingest.coap.CoapEndpoint;
import vn.lantern.ingest.http.HealthApi;
import vn.lantern.ingest.mqtt.MqttEndpoint;
import vn.lantern.ingest.pipeline.Pipeline;
import vn.lantern.ingest.pipeline.StoreThenPublish;
import vn.lantern.ingest.pipeline.TelemetrySink;
import vn.lantern.ingest.registry.DeviceAuthenticator;
import vn.lantern.ingest.registry.DeviceRegistry;
import vn.lantern.ingest.registry.RegistryApi;
import vn.lantern.ingest.store.InfluxSchema;
import vn.lantern.ingest.store.TelemetryStore;
import vn.lantern.ingest.tls.DeviceCertificates;
import vn.lantern.ingest.tls.ServerCertificate;
import vn.lantern.ingest.tls.ServerTls;

/**
 * An ingest node assembled from its parts: registry, InfluxDB store, telemetry bus, the shared
 * pipeline and the protocol endpoints, with its routes mounted on the node's HTTP router.
 *
 * <p>Where a message enters: {@link MqttEndpoint}, {@link CoapEndpoint}. Where it is validated:
 * {@link Pipeline}. Where it is written: {@link TelemetryStore}.
 */
public final class IngestNode {
  private static final Logger LOG = LoggerFactory.getLogger(IngestNode.class);
  private final DeviceRegistry registry;
  private final DeviceAuthenticator authenticator;
  private final TelemetryStore store;
  private final TelemetryBus bus;
  private final HealthApi health;
  private final MqttEndpoint mqtt;
  private final CoapEndpoint coap;
  private final ServerTls tls;
  private int mqttPort;
  private RelationalStore ownedDb;

  private IngestNode(
      DeviceRegistry registry,
      DeviceAuthenticator authenticator,
      TelemetryStore store,
      TelemetryBus bus,
      HealthApi health,
      MqttEndpoint mqtt,
      CoapEndpoint coap,
      ServerTls tls) {
    this.tls = tls;
    this.registry = registry;
    this.authenticator = authenticator;
    this.store = store;
    this.bus = bus;
    this.health = health;
    this.mqtt = mqtt;
    this.coap = coap;
  }

  /**
   * Starts the node and mounts its routes ({@code /api/v1/devices}, {@code /api/v1/zones}, {@code
   * /health}) on {@code router}. InfluxDB need not be up: writes wait for it.
   */
  public static Future<IngestNode> start(
      Vertx vertx, IngestConfig config, MeterRegistry metrics, Router router) {
    return start(vertx, config, metrics, router, new LocalTelemetryBus(vertx));
  }

  /**
   * Starts the node publishing stored telemetry on {@code bus} (e.g. Apache Kafka when the rules
   * engine runs in other processes) instead of the in-process bus.
   */
  public static Future<IngestNode> start(
      Vertx vertx, IngestConfig config, MeterRegistry metrics, Router router, TelemetryBus bus) {
    return startOwningStore(
        vertx, config, metrics, router, bus, store -> new StoreThenPublish(store, bus));
  }

  /**
   * Starts a clustered node: a message is acknowledged once {@code bus} holds its readings durably
   * (e.g. Kafka with {@code acks=all}), and the node's InfluxDB store ({@link #store()}) is written
   * only by whoever drains the bus into it.
   */
  public static <B extends TelemetryBus & TelemetrySink> Future<IngestNode> startOnDurableBus(
      Vertx vertx, IngestConfig config, MeterRegistry metrics, Router router, B bus) {
    return startOwningStore(vertx, config, metrics, router, bus, store -> bus);
  }

  private static Future<IngestNode> startOwningStore(
      Vertx vertx,
      IngestConfig config,
      MeterRegistry metrics,
      Router router,
      TelemetryBus bus,
      Function<TelemetryStore, TelemetrySink> sinkFor) {
    Path dataDir = Path.of(config.dataDir());
    return vertx
        .executeBlocking(
            () -> {
              Files.createDirectories(dataDir);
              return RelationalStore.acquire(config.db(), dataDir);
            })
        .compose(
            db ->
                start(vertx, config, metrics, router, bus, sinkFor, db)
                    .map(
                        node -> {
                          node.ownedDb = db;
                          return node;
                        })
                    .onFailure(e -> vertx.executeBlocking(() -> closeQuietly(db))));
  }

  /**
   * Starts the node with its registry in {@code db}, the node's relational store, which the caller
   * owns and closes after {@link #stop}.
   */
  public static Future<IngestNode> start(
      Vertx vertx,
      IngestConfig config,
      MeterRegistry metrics,
      Router router,
      TelemetryBus bus,
      RelationalStore db) {
    return start(
        vertx, config, metrics, router, bus, store -> new StoreThenPublish(store, bus), db);
  }

  private static Future<IngestNode> start(
      Vertx vertx,
      IngestConfig config,
      MeterRegistry metrics,
      Router router,
      TelemetryBus bus,
      Function<TelemetryStore, TelemetrySink> sinkFor,
      RelationalStore db) {
    Path dataDir = Path.of(config.dataDir());
    return vertx
        .executeBlocking(() -> Files.createDirectories(dataDir))
        .compose(
            dir ->
                DeviceRegistry.open(
                    vertx,
                    db,
                    dataDir,
                    config.registry().pbkdf2Iterations(),
                    config.registry().pskKey()))
        .compose(
            registry ->
                // TLS material and the decoy hash (one PBKDF2) are prepared off the event loop
                vertx
                    .executeBlocking(
                        () ->
                            new Parts(
                                registry,
                                serverTls(vertx, config.tls(), registry, metrics),
                                new DeviceAuthenticator(
                                    vertx,
                                    registry,
                                    config.registry().pbkdf2Iterations(),
                                    config.deviceAuth(),
                                    metrics)))
                    .onFailure(e -> registry.close()))
        .compose(
            parts -> {
              DeviceRegistry registry = parts.registry();
              ServerTls tls = parts.tls();
              TelemetryStore store = new TelemetryStore(config.influx(), metrics);
              new InfluxSchema(
                      config.influx().url(),
                      config.influx().database(),
                      config.influx().username(),
                      config.influx().password(),
                      config.retention())
                  .applyInBackground(vertx);
              Pipeline pipeline =
                  new Pipeline(
                      registry,
                      parts.authenticator(),
                      config.limits().toTelemetryLimits(),
                      sinkFor.apply(store),
                      metrics);
              MqttEndpoint mqtt =
                  new MqttEndpoint(
                      vertx,
                      pipeline,
                      config.mqtt().host(),
                      config.tls().plainPort(config.mqtt().port()),
                      tls,
                      config.mqtt().tlsPort(),
                      config.connections(),
                      metrics);
              CoapEndpoint coap =
                  new CoapEndpoint(
                      vertx, pipeline, registry, config.coap(), config.coaps(), tls, metrics);
              HealthApi health = new HealthApi(vertx, store);
              IngestNode node =
                  new IngestNode(
                      registry, parts.authenticator(), store, bus, health, mqtt, coap, tls);
              registry.onRevoked(
                  id -> {
                    mqtt.closeSessions(id);
                    coap.dropSessions(id);
                  });
              node.mountRoutes(router, new AuditLog(vertx, db));
              return mqtt.start()
                  .map(
                      port -> {
                        node.mqttPort = port;
                        health.component(
                            "mqtt",
                            () ->
                                new JsonObject().put("port", port).put("tlsPort", mqtt.tlsPort()));
                        return node;
                      })
                  .compose(
                      n ->
                          coap.start()
                              // e.g. the DTLS port is taken: do not leave MQTT listening
                              .recover(e -> mqtt.stop().transform(v -> Future.failedFuture(e))))
                  .map(
                      v -> {
                        health.component("coap", coap::health);
                        return node;
                      });
            });
  }

  /**
   * The TLS side of the node, or null when no certificate is configured (then only plain listeners
   * run, and one warning says so).
   */
  private static ServerTls serverTls(
      Vertx vertx, IngestConfig.Tls config, DeviceRegistry registry, MeterRegistry metrics) {
    if (!config.enabled()) {
      LOG.warn(
          "event=tls_disabled reason=\"no server certificate (LANTERN_TLS_CERT, LANTERN_TLS_KEY):"
              + " MQTT, HTTP and device secrets travel in clear text\"");
      return null;
    }
    if (config.key().isBlank()) {
      throw new IllegalArgumentException("LANTERN_TLS_CERT is set but LANTERN_TLS_KEY is not");
    }
    ServerCertificate certificate =
        ServerCertificate.load(
            vertx, Path.of(config.cert()), Path.of(config.key()), config.reloadCheckMs());
    DeviceCertificates devices =
        new DeviceCertificates(
            registry, config.deviceCa().isBlank() ? null : Path.of(config.deviceCa()), metrics);
    return new ServerTls(certificate, devices);
  }

  /**
   * Mounts the ingest routes, each with its declared access; the embedding node mounts the {@link
   * vn.lantern.auth.ApiGuard} that authenticates callers before them.
   */
  private void mountRoutes(Router router, AuditLog audit) {
    new RegistryApi(registry, audit).mount(new ApiRoutes(router));
    health.mount(router);
  }

  private record Parts(DeviceRegistry registry, ServerTls tls, DeviceAuthenticator authenticator) {}

  /** The port the MQTT endpoint bound. */
  public int mqttPort() {
    return mqttPort;
  }

  /** The port the MQTT-over-TLS endpoint bound, or -1 without a certificate. */
  public int mqttsPort() {
    return mqtt.tlsPort();
  }

  /** The node's TLS (for its HTTPS listener), or empty without a certificate. */
  public java.util.Optional<ServerTls> tls() {
    return java.util.Optional.ofNullable(tls);
  }

  /** The port the CoAP-over-DTLS endpoint bound. */
  public int coapsPort() {
    return coap.securePort();
  }

  /** The port the plain-UDP CoAP endpoint bound, or -1 when it is off (the default). */
  public int coapPort() {
    return coap.insecurePort();
  }

  public DeviceRegistry registry() {
    return registry;
  }

  /** The node's InfluxDB writer (a clustered node's writer group drains the bus into it). */
  public TelemetryStore store() {
    return store;
  }

  /** Where stored telemetry is published for the rules engine. */
  public TelemetryBus bus() {
    return bus;
  }

  /** The health report, to which other parts of the node add their components. */
  public HealthApi health() {
    return health;
  }

  private static Void closeQuietly(RelationalStore db) {
    db.close();
    return null;
  }

  /**
   * Stops accepting telemetry, then closes the InfluxDB writer, the registry and the relational
   * store if the node opened it.
   */
  public Future<Void> stop(Vertx vertx) {
    if (tls != null) {
      tls.certificate().close();
    }
    return mqtt.stop()
        .eventually(coap::stop)
        .eventually(
            () ->
                vertx.executeBlocking(
                    () -> {
                      store.close();
                      health.close();
                      authenticator.close();
                      registry.close();
                      if (ownedDb != null) {
                        ownedDb.close();
                      }
                      return null;
                    }));
  }
}
