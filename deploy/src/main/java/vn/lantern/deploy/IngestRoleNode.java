package vn.lantern.deploy;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.nio.file.Path;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.lantern.auth.ServiceToken;
import vn.lantern.deploy.kafka.KafkaInfluxWriter;
import vn.lantern.deploy.kafka.KafkaTelemetryBus;
import vn.lantern.ingest.IngestConfig;
import vn.lantern.ingest.IngestNode;
import vn.lantern.ingest.http.HealthApi;
import vn.lantern.ingest.registry.Provisioner;
import vn.lantern.ioc.kpi.KpiDefinitionStore;
import vn.lantern.rules.RulesNode;

/**
 * {@code ./lantern run --role ingest}: a stateless ingest node (MQTT, CoAP, registry) that
 * acknowledges a message once Kafka holds its readings ({@code acks=all}), and a member of the
 * InfluxDB writer group that drains the topic into InfluxDB. Its HTTP API ({@code /api/v1/devices},
 * {@code /api/v1/zones}) takes only the service token; {@code /health} and {@code /metrics} are
 * open.
 */
public final class IngestRoleNode implements RunningNode {
  private static final Logger LOG = LoggerFactory.getLogger(IngestRoleNode.class);

  private final Vertx vertx;
  private final IngestNode ingest;
  private final KafkaTelemetryBus bus;
  private final KafkaInfluxWriter writer;
  private final HttpListeners http;

  private IngestRoleNode(
      Vertx vertx,
      IngestNode ingest,
      KafkaTelemetryBus bus,
      KafkaInfluxWriter writer,
      HttpListeners http) {
    this.vertx = vertx;
    this.ingest = ingest;
    this.bus = bus;
    this.writer = writer;
    this.http = http;
  }

  /**
   * Starts the node. Fails without a service token: the ingest role never serves an open API.
   *
   * @param provisionFile devices and zones to create or update at start, or {@code null}
   */
  public static Future<IngestRoleNode> start(
      IngestConfig config, ScaleOutConfig scaleOut, Path provisionFile) {
    if (scaleOut.apiToken().isBlank()) {
      return Future.failedFuture(
          new IllegalArgumentException("the ingest role requires LANTERN_API_TOKEN"));
    }
    PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Vertx vertx = NodeSupport.newVertx(metrics);
    KafkaTelemetryBus bus;
    try {
      bus =
          new KafkaTelemetryBus(
              vertx, scaleOut.kafka(), config.influx().maxBufferedReadings(), metrics);
    } catch (RuntimeException e) {
      vertx.close();
      return Future.failedFuture(e);
    }
    Router router =
        NodeSupport.baseRouter(
            vertx,
            metrics,
            config.http(),
            Future.succeededFuture(new ServiceToken(scaleOut.apiToken())));
    KafkaInfluxWriter[] writer = new KafkaInfluxWriter[1];
    return IngestNode.startOnDurableBus(vertx, config, metrics, router, bus)
        .map(
            ingest -> {
              writer[0] = new KafkaInfluxWriter(scaleOut.kafka(), ingest.store(), metrics).start();
              HealthApi health = ingest.health();
              health.component("kafka", () -> kafkaHealth(bus));
              // the node acknowledges once Kafka has the readings: InfluxDB and the writer group
              // are reported, but a load balancer should not take the node out for them
              health.component("writer", writer[0]::health);
              health.informational("writer");
              health.informational(HealthApi.INFLUXDB);
              // A zone merge here moves the rules nodes' references too, in the same transaction of
              // the shared store; the bus tells them, and they take in the moved rules and open
              // alerts and reload the KPI definitions.
              ingest.registry().addZoneReferences(RulesNode.storedZoneReferences(bus));
              ingest.registry().addZoneReferences(KpiDefinitionStore.storedZoneReferences(bus));
              return ingest;
            })
        .compose(
            ingest ->
                provisionFile == null
                    ? Future.succeededFuture(ingest)
                    : new Provisioner(ingest.registry()).apply(provisionFile).map(n -> ingest))
        .compose(
            ingest ->
                HttpListeners.start(vertx, router, config, ingest.tls().orElse(null))
                    .map(server -> new IngestRoleNode(vertx, ingest, bus, writer[0], server)))
        .onSuccess(
            node ->
                LOG.info(
                    "event=node_started role=ingest http_port={} mqtt_port={} kafka={} topic={}",
                    node.httpPort(),
                    node.mqttPort(),
                    scaleOut.kafka().bootstrap(),
                    scaleOut.kafka().topic()))
        .onFailure(
            e ->
                vertx
                    .executeBlocking(
                        () -> {
                          if (writer[0] != null) {
                            writer[0].close();
                          }
                          bus.close();
                          return null;
                        })
                    .eventually(vertx::close));
  }

  private static JsonObject kafkaHealth(KafkaTelemetryBus bus) {
    JsonObject health = new JsonObject();
    String failure = bus.sendFailure();
    if (failure != null) {
      // acknowledgements wait for the broker: this node cannot take telemetry now
      health.put("status", "DOWN").put("error", failure);
    }
    return health;
  }

  /** The InfluxDB writer group member of this node. */
  public KafkaInfluxWriter writer() {
    return writer;
  }

  /** The plain HTTP port, or -1 when it is off. */
  public int httpPort() {
    return http.port();
  }

  public int mqttPort() {
    return ingest.mqttPort();
  }

  public IngestNode ingest() {
    return ingest;
  }

  @Override
  public void close(Duration timeout) throws Exception {
    // the writer leaves its group first: what it has not committed goes to another member
    writer.close();
    try {
      NodeSupport.await(http.close().eventually(() -> ingest.stop(vertx)), timeout);
    } finally {
      bus.close();
      NodeSupport.await(vertx.close(), Duration.ofSeconds(5));
    }
  }
}
