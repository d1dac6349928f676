package vn.lantern.ingest;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.nio.file.Files;
import java.nio.file.Path;
import vn.lantern.common.bus.TelemetryBus;
import vn.lantern.ingest.bus.LocalTelemetryBus;
import vn.lantern.ingest.coap.CoapEndpoint;
import vn.lantern.ingest.http.HealthApi;
import vn.lantern.ingest.mqtt.MqttEndpoint;
import vn.lantern.ingest.pipeline.Pipeline;
import vn.lantern.ingest.registry.DeviceAuthenticator;
import vn.lantern.ingest.registry.DeviceRegistry;
import vn.lantern.ingest.registry.RegistryApi;
import vn.lantern.ingest.store.TelemetryStore;

/**
 * An ingest node assembled from its parts: registry, InfluxDB store, telemetry bus, the shared
 * pipeline and the protocol endpoints, with its routes mounted on the node's HTTP router.
 *
 * <p>Where a message enters: {@link MqttEndpoint}, {@link CoapEndpoint}. Where it is validated:
 * {@link Pipeline}. Where it is written: {@link TelemetryStore}.
 */
public final class IngestNode {
  private final DeviceRegistry registry;
  private final DeviceAuthenticator authenticator;
  private final TelemetryStore store;
  private final TelemetryBus bus;
  private final HealthApi health;
  private final MqttEndpoint mqtt;
  private final CoapEndpoint coap;
  private int mqttPort;

  private IngestNode(
      DeviceRegistry registry,
      DeviceAuthenticator authenticator,
      TelemetryStore store,
      TelemetryBus bus,
      HealthApi health,
      MqttEndpoint mqtt,
      CoapEndpoint coap) {
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
    Path dataDir = Path.of(config.dataDir());
    return vertx
        .executeBlocking(() -> Files.createDirectories(dataDir))
        .compose(
            dir ->
                DeviceRegistry.open(
                    vertx,
                    dataDir,
                    config.registry().pbkdf2Iterations(),
                    config.registry().pskKey()))
        .compose(
            registry ->
                // the decoy hash costs one PBKDF2: off the event loop
                vertx
                    .executeBlocking(
                        () ->
                            new DeviceAuthenticator(
                                vertx,
                                registry,
                                config.registry().pbkdf2Iterations(),
                                config.deviceAuth(),
                                metrics))
                    .map(authenticator -> new Registry(registry, authenticator)))
        .compose(
            registered -> {
              DeviceRegistry registry = registered.registry();
              TelemetryStore store = new TelemetryStore(config.influx(), metrics);
              Pipeline pipeline =
                  new Pipeline(
                      registry,
                      registered.authenticator(),
                      config.limits().toTelemetryLimits(),
                      store,
                      bus,
                      metrics);
              MqttEndpoint mqtt =
                  new MqttEndpoint(
                      vertx,
                      pipeline,
                      config.mqtt().host(),
                      config.mqtt().port(),
                      config.connections(),
                      metrics);
              CoapEndpoint coap =
                  new CoapEndpoint(
                      vertx, pipeline, registry, config.coap(), config.coaps(), metrics);
              HealthApi health = new HealthApi(vertx, store);
              IngestNode node =
                  new IngestNode(
                      registry, registered.authenticator(), store, bus, health, mqtt, coap);
              node.mountRoutes(router);
              return mqtt.start()
                  .map(
                      port -> {
                        node.mqttPort = port;
                        health.component("mqtt", () -> new JsonObject().put("port", port));
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
   * Mounts the ingest routes. Access control of {@code /api/*} is the embedding node's: the
   * standalone node puts the rules engine's token check in front of every API route.
   */
  private void mountRoutes(Router router) {
    new RegistryApi(registry).mount(router);
    health.mount(router);
  }

  private record Registry(DeviceRegistry registry, DeviceAuthenticator authenticator) {}

  /** The port the MQTT endpoint bound. */
  public int mqttPort() {
    return mqttPort;
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

  /** Where stored telemetry is published for the rules engine. */
  public TelemetryBus bus() {
    return bus;
  }

  /** The health report, to which other parts of the node add their components. */
  public HealthApi health() {
    return health;
  }

  /** Stops accepting telemetry, then closes the store and the registry. */
  public Future<Void> stop(Vertx vertx) {
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
                      return null;
                    }));
  }
}
