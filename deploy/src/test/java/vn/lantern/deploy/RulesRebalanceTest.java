package vn.lantern.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import vn.lantern.common.influx.InfluxSettings;
import vn.lantern.common.store.DatabaseSettings;
import vn.lantern.deploy.kafka.KafkaBroker;
import vn.lantern.deploy.kafka.KafkaSettings;
import vn.lantern.deploy.kafka.KafkaTelemetryBus;
import vn.lantern.ingest.IngestConfig;
import vn.lantern.ioc.kpi.KpiConfig;
import vn.lantern.rules.RulesConfig;
import vn.lantern.testing.InfluxDbExtension;
import vn.lantern.testing.TestDatabases;
import vn.lantern.testing.TestInflux;

/**
 * Two rules nodes in one consumer group over a real Kafka broker, sharing a real PostgreSQL store
 * and InfluxDB, each owning one zone. When one leaves, its zone moves to the other: the alerts it
 * had raised are taken over (not raised again), and the absence deadline of its zone's device
 * counts from the device's last stored reading, so the absence alert still fires, once.
 */
@ExtendWith(InfluxDbExtension.class)
class RulesRebalanceTest {
  private static final String TOKEN = "rebalance-service-token-0123456789";
  private static final String TOPIC = "lantern.readings.rebalance";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dataDir;
  private static KafkaBroker broker;
  private static Vertx clientVertx;
  private static WebClient web;
  private static TestInflux influx;
  private static DatabaseSettings db;
  private static IngestRoleNode ingest;
  private static RulesRoleNode first;
  private static RulesRoleNode second;

  @BeforeAll
  static void start(TestInflux testInflux) throws Exception {
    influx = testInflux;
    broker = KafkaBroker.start();
    broker.createTopic(TOPIC, 2);
    db = TestDatabases.postgres().createDatabase();
    clientVertx = Vertx.vertx();
    web = WebClient.create(clientVertx);
    ingest = await(IngestRoleNode.start(nodeConfig("ingest"), scaleOut(""), null));
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      for (RunningNode node : new RunningNode[] {second, first, ingest}) {
        if (node != null) {
          node.close(Duration.ofSeconds(15));
        }
      }
    } finally {
      web.close();
      clientVertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
      broker.close();
    }
  }

  @Test
  void aLeavingNodesZoneMovesWithItsAlertsAndAbsenceDeadlines() throws Exception {
    List<String> zones = zonesOnBothPartitions();
    Map<String, String> deviceOfZone = new TreeMap<>();
    for (String zone : zones) {
      String device = "wl-" + zone;
      deviceOfZone.put(zone, device);
      expect(
          201,
          call(
              ingest.httpPort(),
              HttpMethod.POST,
              "/api/v1/devices",
              new JsonObject()
                  .put("id", device)
                  .put("type", "water_level")
                  .put("zone", zone)
                  .put("site", "Trạm " + zone)
                  .put("secret", secretOf(device))));
    }
    String ingestApi = "http://127.0.0.1:" + ingest.httpPort();
    first = await(startRules("rules-1", ingestApi));
    for (String zone : zones) {
      createRule(first.httpPort(), zone, "high", threshold());
      createRule(first.httpPort(), zone, "silent", absence());
    }
    second = await(startRules("rules-2", ingestApi));
    waitUntil(
        () -> first.bus().assignedPartitions() == 1 && second.bus().assignedPartitions() == 1,
        "each rules node owns one partition");
    waitUntil(
        () -> items(second.httpPort(), "/api/v1/rules").size() == 4,
        "the second node holds the rules saved through the first");

    for (Map.Entry<String, String> e : deviceOfZone.entrySet()) {
      publish(e.getValue(), 2.5);
    }
    waitUntil(
        () -> firing("high").size() == 2,
        "each zone's owner raises its threshold alert: " + firing("high"));
    waitUntil(() -> influx.count("water_level") >= 2, "the writer group stores both readings");

    // the second node leaves; its zone moves to the first
    second.close(Duration.ofSeconds(15));
    second = null;
    waitUntil(() -> first.bus().assignedPartitions() == 2, "the first node owns both partitions");

    // no reading since: both devices fall silent, the moved one included
    waitUntil(
        () -> firing("silent").size() == 2,
        "the absence alerts of both zones fire: " + firing("silent"));
    Thread.sleep(2 * TICK_MS);
    assertEquals(2, firing("high").size(), "the moved threshold alert was taken over, not raised");
    assertEquals(2, firing("silent").size(), "each absence alert raised once");
    for (String zone : zones) {
      assertEquals(
          1,
          firing("high").stream()
              .filter(a -> zone.equals(((JsonObject) a).getString("zone")))
              .count(),
          zone);
    }
  }

  private static final long TICK_MS = 200;

  /** Two seeded zones whose records live on different partitions of the two-partition topic. */
  private static List<String> zonesOnBothPartitions() {
    List<String> seeded = List.of("tam-ky", "hoi-an", "dien-ban", "kcn-tam-thang", "kcn-tam-hiep");
    String a = seeded.get(0);
    for (String b : seeded.subList(1, seeded.size())) {
      if (KafkaTelemetryBus.partitionOf(a, 2) != KafkaTelemetryBus.partitionOf(b, 2)) {
        return List.of(a, b);
      }
    }
    throw new AssertionError("the seeded zones all share one partition");
  }

  private static JsonObject threshold() {
    return new JsonObject()
        .put("type", "threshold")
        .put("op", ">")
        .put("value", 1.5)
        .put("for", "0s")
        .put("clear", 1.4);
  }

  private static JsonObject absence() {
    return new JsonObject().put("type", "absence").put("for", "12s");
  }

  private static void createRule(int port, String zone, String name, JsonObject condition)
      throws Exception {
    expect(
        201,
        call(
            port,
            HttpMethod.POST,
            "/api/v1/rules",
            new JsonObject()
                .put("name", name + " " + zone)
                .put("scope", new JsonObject().put("zone", zone).put("type", "water_level"))
                .put("metric", "level")
                .put("condition", condition)
                .put("severity", "warning")
                .put("channels", new JsonArray())
                .put("enabled", true)));
  }

  /** Firing alerts in the shared store of the rules named {@code name …}. */
  private static List<Object> firing(String name) {
    int port = first.httpPort();
    return items(port, "/api/v1/alerts?state=firing").stream()
        .filter(a -> ((JsonObject) a).getString("ruleName", "").startsWith(name + " "))
        .toList();
  }

  private static Future<RulesRoleNode> startRules(String name, String ingestApi) throws Exception {
    IngestConfig node = nodeConfig(name);
    RulesConfig rules =
        RulesConfig.builder(
                node.dataDir(),
                db,
                InfluxSettings.defaults().withServer(influx.url(), influx.database()))
            .tickMs(TICK_MS)
            .adminPassword("admin-password-for-rebalance")
            .tokenTtlSeconds(3600)
            .pbkdf2Iterations(1000)
            .seedRulePacks(false)
            .serviceToken(TOKEN)
            .build();
    return RulesRoleNode.start(node, rules, KpiConfig.defaults(), scaleOut(ingestApi));
  }

  private static ScaleOutConfig scaleOut(String ingestApi) {
    return ScaleOutConfig.builder()
        .kafka(new KafkaSettings(broker.bootstrap(), TOPIC, "rebalance-rules", "rebalance-writers"))
        .apiToken(TOKEN)
        .ingestApi(ingestApi)
        .directoryRefreshMs(300)
        .build();
  }

  /** The defaults on free ports of 127.0.0.1 with the shared PostgreSQL and the test InfluxDB. */
  private static IngestConfig nodeConfig(String name) throws Exception {
    ObjectNode tree = JSON.valueToTree(IngestConfig.defaults());
    ScaleOutTest.localPorts(tree);
    tree.put("dataDir", dataDir.resolve(name).toString());
    tree.set("db", JSON.valueToTree(db));
    ((ObjectNode) tree.get("influx")).put("url", influx.url()).put("database", influx.database());
    ((ObjectNode) tree.get("registry")).put("pbkdf2Iterations", 1000);
    return JSON.treeToValue(tree, IngestConfig.class);
  }

  private static String secretOf(String device) {
    return "secret-of-" + device + "-0123456789";
  }

  private static void publish(String device, double level) throws Exception {
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
      client.publish(
          "telemetry",
          new JsonObject().put("m", new JsonObject().put("level", level)).encode().getBytes(),
          1,
          false);
    } finally {
      client.disconnect();
      client.close();
    }
  }

  private static JsonArray items(int port, String path) {
    try {
      return expect(200, call(port, HttpMethod.GET, path, null))
          .bodyAsJsonObject()
          .getJsonArray("items");
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static HttpResponse<Buffer> call(
      int port, HttpMethod method, String path, JsonObject body) throws Exception {
    var request = web.request(method, port, "127.0.0.1", path).bearerTokenAuthentication(TOKEN);
    return await(body == null ? request.send() : request.sendJsonObject(body));
  }

  private static HttpResponse<Buffer> expect(int status, HttpResponse<Buffer> response) {
    assertEquals(status, response.statusCode(), response.bodyAsString());
    return response;
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  private static void waitUntil(BooleanSupplier condition, String what)
      throws InterruptedException {
    long deadline = System.currentTimeMillis() + 60_000;
    while (!condition.getAsBoolean()) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("timed out waiting until " + what);
      }
      Thread.sleep(200);
    }
  }
}
