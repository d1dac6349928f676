package vn.lantern.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import vn.lantern.common.influx.InfluxSettings;
import vn.lantern.common.store.DatabaseSettings;
import vn.lantern.deploy.kafka.KafkaBroker;
import vn.lantern.deploy.kafka.KafkaSettings;
import vn.lantern.ingest.IngestConfig;
import vn.lantern.ioc.kpi.KpiConfig;
import vn.lantern.rules.RulesConfig;
import vn.lantern.testing.TestDatabases;
import vn.lantern.testing.TestInflux;

/**
 * What the scale-out tests share: a real Kafka broker whose readings topic has two partitions, a
 * PostgreSQL database of their own, the test InfluxDB, one ingest node, rules nodes started on
 * demand, and an HTTP client that calls any node with the service token.
 */
final class ScaleOutCluster implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String name;
  private final String token;
  private final Path dataDir;
  private final TestInflux influx;
  private final KafkaBroker broker;
  private final DatabaseSettings db;
  private final Vertx clientVertx = Vertx.vertx();
  private final WebClient web = WebClient.create(clientVertx);
  private IngestRoleNode ingest;

  private ScaleOutCluster(String name, Path dataDir, TestInflux influx) throws Exception {
    this.name = name;
    this.token = name + "-service-token-for-tests-0123456789";
    this.dataDir = dataDir;
    this.influx = influx;
    this.broker = KafkaBroker.start();
    broker.createTopic(topic(), 2);
    this.db = TestDatabases.postgres().createDatabase();
  }

  /**
   * Starts the broker, the database and the ingest node.
   *
   * @param name names the topic, the consumer groups, the token and the admin password
   */
  static ScaleOutCluster start(String name, Path dataDir, TestInflux influx) throws Exception {
    ScaleOutCluster cluster = new ScaleOutCluster(name, dataDir, influx);
    cluster.ingest =
        await(IngestRoleNode.start(cluster.nodeConfig("ingest"), cluster.scaleOut(""), null));
    return cluster;
  }

  IngestRoleNode ingest() {
    return ingest;
  }

  /** The Kafka broker's bootstrap address. */
  String bootstrap() {
    return broker.bootstrap();
  }

  /** The service token every call carries. */
  String token() {
    return token;
  }

  /** The Vert.x instance of the test's own clients and servers. */
  Vertx vertx() {
    return clientVertx;
  }

  /** Starts a rules node that reads the device list from the ingest node. */
  Future<RulesRoleNode> startRules(String nodeName, long tickMs, KpiConfig kpis) throws Exception {
    IngestConfig node = nodeConfig(nodeName);
    RulesConfig rules =
        RulesConfig.builder(
                node.dataDir(),
                db,
                InfluxSettings.defaults().withServer(influx.url(), influx.database()))
            .tickMs(tickMs)
            .adminPassword(adminPassword())
            .tokenTtlSeconds(3600)
            .pbkdf2Iterations(1000)
            .seedRulePacks(false)
            .serviceToken(token)
            .build();
    return RulesRoleNode.start(
        node, rules, kpis, scaleOut("http://127.0.0.1:" + ingest.httpPort()));
  }

  private String topic() {
    return "lantern.readings." + name;
  }

  private ScaleOutConfig scaleOut(String ingestApi) {
    return ScaleOutConfig.builder()
        .kafka(new KafkaSettings(broker.bootstrap(), topic(), name + "-rules", name + "-writers"))
        .apiToken(token)
        .ingestApi(ingestApi)
        .directoryRefreshMs(300)
        .build();
  }

  /**
   * The defaults on free ports of 127.0.0.1 with the shared PostgreSQL and the test InfluxDB, the
   * data directory named after the node.
   */
  IngestConfig nodeConfig(String nodeName) throws Exception {
    ObjectNode tree = JSON.valueToTree(IngestConfig.defaults());
    localPorts(tree);
    tree.put("dataDir", dataDir.resolve(nodeName).toString());
    tree.set("db", JSON.valueToTree(db));
    ((ObjectNode) tree.get("influx")).put("url", influx.url()).put("database", influx.database());
    ((ObjectNode) tree.get("registry")).put("pbkdf2Iterations", 1000);
    return JSON.treeToValue(tree, IngestConfig.class);
  }

  /** Every listener of {@code node} (a configuration tree) on a free port of 127.0.0.1. */
  private static void localPorts(ObjectNode node) {
    if (node.has("port")) {
      node.put("port", 0);
    }
    if (node.has("host")) {
      node.put("host", "127.0.0.1");
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      if (it.next().getValue() instanceof ObjectNode child) {
        localPorts(child);
      }
    }
  }

  /** Registers a water-level device of {@code zone} through the ingest node. */
  void registerDevice(String device, String zone) throws Exception {
    registerDevice(ingest.httpPort(), device, zone);
  }

  /** Registers a water-level device of {@code zone} through the node at {@code httpPort}. */
  void registerDevice(int httpPort, String device, String zone) throws Exception {
    expect(
        201,
        call(
            httpPort,
            HttpMethod.POST,
            "/api/v1/devices",
            new JsonObject()
                .put("id", device)
                .put("type", "water_level")
                .put("zone", zone)
                .put("site", siteIn(zone))
                .put("secret", secretOf(device))));
  }

  /** The site of the devices {@link #registerDevice} registers in {@code zone}. */
  static String siteIn(String zone) {
    return "Trạm " + zone;
  }

  static String secretOf(String device) {
    return "secret-of-" + device + "-0123456789";
  }

  /** Publishes {@code message} from {@code device} at QoS 1 over its own MQTT connection. */
  void publish(String device, JsonObject message) throws Exception {
    MqttClient client =
        new MqttClient(
            "tcp://127.0.0.1:" + ingest.mqttPort(), device + "-test", new MemoryPersistence());
    MqttConnectOptions options = new MqttConnectOptions();
    options.setUserName(device);
    options.setPassword(secretOf(device).toCharArray());
    options.setConnectionTimeout(10);
    client.setTimeToWait(30_000);
    client.connect(options);
    try {
      client.publish("telemetry", message.encode().getBytes(StandardCharsets.UTF_8), 1, false);
    } finally {
      client.disconnect();
      client.close();
    }
  }

  /** The {@code items} of a GET answered 200. */
  JsonArray items(int port, String path) {
    try {
      return expect(200, call(port, HttpMethod.GET, path, null))
          .bodyAsJsonObject()
          .getJsonArray("items");
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  HttpResponse<Buffer> call(int port, HttpMethod method, String path, JsonObject body)
      throws Exception {
    return call(port, method, path, token, body);
  }

  /** A call with {@code bearer} (none when null) instead of the service token. */
  HttpResponse<Buffer> call(
      int port, HttpMethod method, String path, String bearer, JsonObject body) throws Exception {
    var request = web.request(method, port, "127.0.0.1", path);
    if (bearer != null) {
      request.bearerTokenAuthentication(bearer);
    }
    return await(body == null ? request.send() : request.sendJsonObject(body));
  }

  /** Signs in to the rules node at {@code port} as its first admin; returns the token. */
  String login(int port) throws Exception {
    return expect(
            200,
            call(
                port,
                HttpMethod.POST,
                "/api/v1/login",
                null,
                new JsonObject().put("username", "admin").put("password", adminPassword())))
        .bodyAsJsonObject()
        .getString("token");
  }

  private String adminPassword() {
    return "admin-password-for-" + name;
  }

  static HttpResponse<Buffer> expect(int status, HttpResponse<Buffer> response) {
    assertEquals(status, response.statusCode(), response.bodyAsString());
    return response;
  }

  static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  static void waitUntil(BooleanSupplier condition, String what) throws InterruptedException {
    waitUntil(condition, () -> what);
  }

  /** Waits up to 60 s until {@code condition} holds; {@code what} is read when it times out. */
  static void waitUntil(BooleanSupplier condition, Supplier<String> what)
      throws InterruptedException {
    long deadline = System.currentTimeMillis() + 60_000;
    while (!condition.getAsBoolean()) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("timed out waiting until " + what.get());
      }
      Thread.sleep(200);
    }
  }

  /** Closes {@code rulesNodes} (in order), then the ingest node, the clients and the broker. */
  void close(RunningNode... rulesNodes) throws Exception {
    try {
      for (RunningNode node : rulesNodes) {
        if (node != null) {
          node.close(Duration.ofSeconds(15));
        }
      }
      if (ingest != null) {
        ingest.close(Duration.ofSeconds(15));
      }
    } finally {
      web.close();
      clientVertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
      broker.close();
    }
  }

  @Override
  public void close() throws Exception {
    close(new RunningNode[0]);
  }
}
