package vn.lantern.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static vn.lantern.deploy.ScaleOutCluster.await;
import static vn.lantern.deploy.ScaleOutCluster.expect;
import static vn.lantern.deploy.ScaleOutCluster.waitUntil;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import vn.lantern.common.store.DatabaseSettings;
import vn.lantern.deploy.kafka.KafkaSettings;
import vn.lantern.ingest.IngestConfig;
import vn.lantern.ioc.kpi.KpiConfig;
import vn.lantern.testing.InfluxDbExtension;
import vn.lantern.testing.TestInflux;

/**
 * The scaled-out topology in one JVM ({@link ScaleOutCluster}): a real Kafka broker, an ingest-role
 * node and a rules-role node (separate Vert.x instances and data directories) sharing a PostgreSQL
 * database and the test's real InfluxDB. A reading published over MQTT to the ingest node raises an
 * alert and a KPI on the rules node.
 */
@ExtendWith(InfluxDbExtension.class)
class ScaleOutTest {
  private static final String ZONE = "hoi-an";
  private static final String SITE = ScaleOutCluster.siteIn(ZONE);
  private static final String DEVICE = "wl-hoi-an-1";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dataDir;
  private static ScaleOutCluster cluster;
  private static RulesRoleNode rules;
  private static TestInflux influx;

  @BeforeAll
  static void start(TestInflux testInflux) throws Exception {
    influx = testInflux;
    cluster = ScaleOutCluster.start("scale-out", dataDir, influx);
  }

  @AfterAll
  static void stop() throws Exception {
    if (cluster != null) {
      cluster.close(rules);
    }
  }

  @Test
  void aReadingOnTheIngestNodeRaisesAnAlertAndAKpiOnTheRulesNode() throws Exception {
    int ingestHttp = cluster.ingest().httpPort();
    assertEquals(
        401, cluster.call(ingestHttp, HttpMethod.GET, "/api/v1/devices", null, null).statusCode());
    assertEquals(
        401,
        cluster.call(ingestHttp, HttpMethod.GET, "/api/v1/devices", "wrong", null).statusCode());
    assertEquals(200, get(ingestHttp, "/health").statusCode());
    // the shipped Quang Nam zones are seeded on first start
    expect(200, cluster.call(ingestHttp, HttpMethod.GET, "/api/v1/zones/" + ZONE, null));
    cluster.registerDevice(DEVICE, ZONE);

    rules = await(cluster.startRules("rules", 200, KpiConfig.defaults()));
    waitUntil(() -> rules.bus().assignedPartitions() > 0, "the rules node joins the group");
    int rulesHttp = rules.httpPort();
    String admin = cluster.login(rulesHttp);
    JsonObject rule =
        new JsonObject(
            "{\"name\": \"Hoi An river above alarm 2\","
                + " \"scope\": {\"zone\": \"hoi-an\", \"type\": \"water_level\"},"
                + " \"metric\": \"level\","
                + " \"condition\": {\"type\": \"threshold\", \"op\": \">\", \"value\": 1.5,"
                + " \"for\": \"0s\", \"clear\": 1.4},"
                + " \"severity\": \"warning\", \"channels\": [], \"enabled\": true}");
    String ruleId =
        expect(201, cluster.call(rulesHttp, HttpMethod.POST, "/api/v1/rules", admin, rule))
            .bodyAsJsonObject()
            .getString("id");

    cluster.publish(DEVICE, new JsonObject().put("m", new JsonObject().put("level", 2.1)));

    AtomicReference<JsonArray> alerts = new AtomicReference<>();
    waitUntil(
        () -> {
          alerts.set(items(rulesHttp, "/api/v1/alerts?zone=" + ZONE + "&state=firing", admin));
          return !alerts.get().isEmpty();
        },
        "the alert is raised on the rules node");
    JsonObject alert = alerts.get().getJsonObject(0);
    assertEquals(ruleId, alert.getString("ruleId"));
    assertEquals(DEVICE, alert.getString("device"));
    assertEquals(SITE, alert.getString("site"));
    assertEquals(2.1, alert.getDouble("value"), 1e-9);

    AtomicReference<JsonArray> kpis = new AtomicReference<>();
    waitUntil(
        () -> {
          kpis.set(items(rulesHttp, "/api/v1/kpis?zone=" + ZONE, admin));
          return kpis.get().stream()
              .map(JsonObject.class::cast)
              .anyMatch(k -> SITE.equals(k.getString("site")) && k.getValue("value") != null);
        },
        "a KPI of the site is served by the rules node");
    assertTrue(
        kpis.get().stream()
            .map(JsonObject.class::cast)
            .allMatch(k -> ZONE.equals(k.getString("zone"))),
        kpis.get().encodePrettily());
    // stored by the ingest nodes' writer group, which drains the topic into InfluxDB
    waitUntil(() -> influx.count("water_level") >= 1, "the writer group stores the reading");
    assertEquals(1, influx.count("water_level"), "stored once");

    // what ./lantern cluster up and liveness probes wait for
    expect(200, get(rulesHttp, "/health/live"));
    // the chart's readiness probe
    expect(200, get(rulesHttp, "/health/ready"));
    JsonObject health = expect(200, get(rulesHttp, "/health")).bodyAsJsonObject();
    assertEquals(1, health.getJsonObject("directory").getInteger("devices"));
    String metrics = expect(200, get(rulesHttp, "/metrics")).bodyAsString();
    assertTrue(metrics.contains("lantern_bus_kafka_consumed_total 1.0"), metrics);
  }

  @Test
  void aPublishIsAcknowledgedOnceKafkaHasItEvenWhileInfluxDbIsDown() throws Exception {
    String topic = "lantern.readings.acks-test";
    IngestConfig config = nodeOfItsOwn("acks", deadUrl());
    IngestRoleNode node =
        await(IngestRoleNode.start(config, scaleOut(cluster.bootstrap(), topic), null));
    try {
      cluster.registerDevice(node.httpPort(), DEVICE, ZONE);
      MqttClient device = connect(node.mqttPort());
      device.setTimeToWait(30_000);
      try {
        // returns on PUBACK: before this change it waited for InfluxDB, which is down
        device.publish("telemetry", "{\"m\": {\"level\": 3.25}}".getBytes(), 1, false);
      } finally {
        device.disconnect();
        device.close();
      }
      JsonObject onTopic = readTopic(topic, 1).get(0);
      assertEquals(DEVICE, onTopic.getJsonObject("device").getString("id"));
      assertEquals(3.25, onTopic.getJsonArray("readings").getJsonObject(0).getDouble("value"));
      // ready: it depends on Kafka, which takes the readings; InfluxDB is the writers' business
      int http = node.httpPort();
      HttpResponse<Buffer> ready = get(http, "/health");
      assertEquals(200, ready.statusCode(), ready.bodyAsString());
      waitUntil(
          () ->
              get(http, "/health")
                  .bodyAsJsonObject()
                  .getJsonObject("checks")
                  .getJsonObject("writer")
                  .containsKey("waitingForInfluxdbSince"),
          "the writer reports that it waits for InfluxDB");
      for (String path : List.of("/health", "/health/ready")) {
        HttpResponse<Buffer> health = get(http, path);
        assertEquals(200, health.statusCode(), path + " " + health.bodyAsString());
        JsonObject checks = health.bodyAsJsonObject().getJsonObject("checks");
        JsonObject influxHealth = checks.getJsonObject("influxdb");
        assertEquals("DOWN", influxHealth.getString("status"), "InfluxDB was really down");
        assertFalse(influxHealth.getBoolean("affectsReadiness"), influxHealth.encode());
        assertFalse(checks.getJsonObject("writer").getBoolean("affectsReadiness"));
        assertEquals("UP", checks.getJsonObject("kafka").getString("status"));
      }
    } finally {
      node.close(Duration.ofSeconds(15));
    }
  }

  @Test
  void noAcknowledgementWhileKafkaIsUnreachable() throws Exception {
    IngestConfig config = nodeOfItsOwn("no-kafka", influx.url());
    String unreachable = deadUrl().substring("http://".length());
    IngestRoleNode node =
        await(IngestRoleNode.start(config, scaleOut(unreachable, "lantern.readings"), null));
    try {
      cluster.registerDevice(node.httpPort(), DEVICE, ZONE);
      MqttClient device = connect(node.mqttPort());
      device.setTimeToWait(3_000);
      try {
        // before this change the PUBACK came once InfluxDB (up) had the reading
        MqttException held =
            assertThrows(
                MqttException.class,
                () ->
                    device.publish("telemetry", "{\"m\": {\"level\": 9.5}}".getBytes(), 1, false));
        assertEquals(MqttException.REASON_CODE_CLIENT_TIMEOUT, held.getReasonCode());
      } finally {
        device.disconnectForcibly(1_000, 1_000);
        device.close();
      }
      int http = node.httpPort();
      waitUntil(
          () -> {
            HttpResponse<Buffer> health = get(http, "/health");
            return health.statusCode() == 503
                && "DOWN"
                    .equals(
                        health
                            .bodyAsJsonObject()
                            .getJsonObject("checks")
                            .getJsonObject("kafka")
                            .getString("status"));
          },
          "the node reports Kafka down");
    } finally {
      node.close(Duration.ofSeconds(15));
    }
  }

  @Test
  void theIngestRoleRefusesToStartWithoutAServiceToken() throws Exception {
    IngestConfig config = nodeOfItsOwn("no-token", influx.url());
    ScaleOutConfig noToken =
        scaleOut(cluster.bootstrap(), "lantern.readings").toBuilder().apiToken("").build();
    Throwable failure =
        IngestRoleNode.start(config, noToken, null)
            .toCompletionStage()
            .toCompletableFuture()
            .handle((node, e) -> e)
            .get(30, TimeUnit.SECONDS);
    assertTrue(
        failure != null && failure.getMessage().contains("LANTERN_API_TOKEN"),
        String.valueOf(failure));
  }

  /** An ingest role on {@code topic} of the Kafka at {@code bootstrap}. */
  private static ScaleOutConfig scaleOut(String bootstrap, String topic) {
    return ScaleOutConfig.builder()
        .kafka(new KafkaSettings(bootstrap, topic, topic + "-rules", topic + "-writers"))
        .apiToken(cluster.token())
        .directoryRefreshMs(500)
        .build();
  }

  /** A URL of 127.0.0.1 where nothing listens. */
  private static String deadUrl() throws Exception {
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      return "http://127.0.0.1:" + socket.getLocalPort();
    }
  }

  /**
   * An ingest node beside the cluster's, configured as the cluster's but with a relational store of
   * its own (embedded, in its data directory) and the InfluxDB at {@code influxUrl}.
   */
  private static IngestConfig nodeOfItsOwn(String name, String influxUrl) throws Exception {
    ObjectNode tree = JSON.valueToTree(cluster.nodeConfig(name));
    tree.set("db", JSON.valueToTree(DatabaseSettings.defaults()));
    ((ObjectNode) tree.get("influx")).put("url", influxUrl);
    return JSON.treeToValue(tree, IngestConfig.class);
  }

  /** The first {@code n} records of {@code topic} (JSON batches), read from its beginning. */
  private static List<JsonObject> readTopic(String topic, int n) {
    List<JsonObject> batches = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(
            Map.of("bootstrap.servers", cluster.bootstrap()),
            new StringDeserializer(),
            new ByteArrayDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      long deadline = System.currentTimeMillis() + 30_000;
      while (batches.size() < n && System.currentTimeMillis() < deadline) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
          batches.add(new JsonObject(Buffer.buffer(record.value())));
        }
      }
    }
    assertEquals(n, batches.size(), "records on " + topic);
    return batches;
  }

  private static MqttClient connect(int port) throws Exception {
    MqttClient client =
        new MqttClient("tcp://127.0.0.1:" + port, DEVICE + "-test", new MemoryPersistence());
    MqttConnectOptions options = new MqttConnectOptions();
    options.setUserName(DEVICE);
    options.setPassword(ScaleOutCluster.secretOf(DEVICE).toCharArray());
    options.setCleanSession(true);
    options.setConnectionTimeout(10);
    client.connect(options);
    return client;
  }

  private static JsonArray items(int port, String path, String token) {
    try {
      return expect(200, cluster.call(port, HttpMethod.GET, path, token, null))
          .bodyAsJsonObject()
          .getJsonArray("items");
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** A GET without credentials. */
  private static HttpResponse<Buffer> get(int port, String path) {
    try {
      return cluster.call(port, HttpMethod.GET, path, null, null);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
