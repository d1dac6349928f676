package vn.lantern.ingest.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static vn.lantern.deploy.testing.TestNode.influxString;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import vn.lantern.deploy.testing.PrometheusText;
import vn.lantern.deploy.testing.TestNode;
import vn.lantern.ingest.MqttTestClients;
import vn.lantern.testing.InfluxDbExtension;
import vn.lantern.testing.TestInflux;

/**
 * Every refusal the MQTT endpoint makes, each answered as the issue specifies (CONNACK code, MQTT 5
 * PUBACK reason code, or on 3.1.1 acknowledged and dropped), counted in {@code /metrics}, with
 * nothing stored and a bystander client on the same node publishing successfully afterwards.
 */
@ExtendWith(InfluxDbExtension.class)
class MqttRefusalTest {
  private static final Duration AWAIT = Duration.ofSeconds(20);
  private static final String SECRET = "s3cret-for-tests-only";
  private static final String MESSAGES = "lantern_ingest_messages_total";
  private static final String AUTH_FAILURES = "lantern_ingest_auth_failures_total";

  private static final int NOT_AUTHORIZED = 0x87;
  private static final int BAD_USERNAME_OR_PASSWORD = 0x86;
  private static final int TOPIC_NAME_INVALID = 0x90;
  private static final int QUOTA_EXCEEDED = 0x97;
  private static final int PAYLOAD_FORMAT_INVALID = 0x99;
  private static final int V3_BAD_USERNAME_OR_PASSWORD = 4;

  @TempDir static Path dataDir;
  private static TestNode node;
  private static TestInflux influx;
  private static MqttAsyncClient bystander;
  private static int bystanderPoints;

  @BeforeAll
  static void startNode(TestInflux testInflux) throws Exception {
    influx = testInflux;
    node =
        TestNode.builder(dataDir, influx.url(), influx.database())
            .set("rules.seedRulePacks", false)
            .start();
    node.register("bystander", "noise", "hoi-an", "Phố cổ", SECRET);
    node.register("refused", "air_quality", "tam-ky", "Tam Kỳ", SECRET);
    node.register("gw-dien-ban", "gateway", "dien-ban", "Vĩnh Điện", SECRET);
    node.register(
        new JsonObject()
            .put("id", "rain-behind-gw")
            .put("type", "rain_gauge")
            .put("zone", "kcn-dien-nam-dien-ngoc")
            .put("site", "Điện Bàn")
            .put("gateway", "gw-dien-ban"));
    node.register("foreign-device", "rain_gauge", "hoi-an", "Cẩm Nam", SECRET);
    bystander = MqttTestClients.v5(node.mqttUri(), "bystander", SECRET);
  }

  @AfterAll
  static void stopNode() throws Exception {
    MqttTestClients.closeAll(bystander);
    if (node != null) {
      node.close();
    }
  }

  @Test
  void wrongSecretIsRefusedAtConnect() {
    double before = node.metrics().value(AUTH_FAILURES, "protocol", "mqtt");
    MqttException v3 =
        assertThrows(
            MqttException.class,
            () -> MqttTestClients.v3(node.mqttUri(), "refused", "not-the-right-secret"));
    assertEquals(V3_BAD_USERNAME_OR_PASSWORD, v3.getReasonCode());
    org.eclipse.paho.mqttv5.common.MqttException v5 =
        assertThrows(
            org.eclipse.paho.mqttv5.common.MqttException.class,
            () -> MqttTestClients.v5(node.mqttUri(), "refused", "not-the-right-secret"));
    assertEquals(BAD_USERNAME_OR_PASSWORD, v5.getReasonCode());
    assertEquals(before + 2, node.metrics().value(AUTH_FAILURES, "protocol", "mqtt"));
    assertBystanderUnaffected();
  }

  @Test
  void unknownDeviceIsRefusedAtConnect() {
    double before = node.metrics().value(AUTH_FAILURES, "protocol", "mqtt");
    MqttException v3 =
        assertThrows(
            MqttException.class, () -> MqttTestClients.v3(node.mqttUri(), "nobody", SECRET));
    assertEquals(V3_BAD_USERNAME_OR_PASSWORD, v3.getReasonCode());
    org.eclipse.paho.mqttv5.common.MqttException v5 =
        assertThrows(
            org.eclipse.paho.mqttv5.common.MqttException.class,
            () -> MqttTestClients.v5(node.mqttUri(), "nobody", SECRET));
    assertEquals(BAD_USERNAME_OR_PASSWORD, v5.getReasonCode());
    assertEquals(before + 2, node.metrics().value(AUTH_FAILURES, "protocol", "mqtt"));
    assertBystanderUnaffected();
  }

  @Test
  void gatewayMayPublishOnlyForItsOwnDevices() throws Exception {
    long ts = System.currentTimeMillis() - 30_000;
    String reading = MqttTestClients.lanternJson(ts, "{\"rain_mm\":2.5}");
    double before = outcome("not_authorized");
    MqttAsyncClient v5 = MqttTestClients.v5(node.mqttUri(), "gw-dien-ban", SECRET);
    MqttClient v3 = MqttTestClients.v3(node.mqttUri(), "gw-dien-ban", SECRET);
    try {
      assertEquals(
          NOT_AUTHORIZED, MqttTestClients.publish(v5, "telemetry/foreign-device", reading));
      // A gateway has no measurement of its own.
      assertEquals(NOT_AUTHORIZED, MqttTestClients.publish(v5, "telemetry", reading));
      // MQTT 3.1.1 has no negative acknowledgement: acknowledged and dropped.
      MqttTestClients.publish(v3, "telemetry/foreign-device", reading);

      assertEquals(0, MqttTestClients.publish(v5, "telemetry/rain-behind-gw", reading));
    } finally {
      MqttTestClients.closeAll(v5, v3);
    }
    assertEquals(before + 3, outcome("not_authorized"));

    List<Map<String, Object>> rows =
        influx.awaitRows("SELECT * FROM rain_gauge WHERE device = 'rain-behind-gw'", 1, AWAIT);
    MqttIngestTest.assertPoint(
        rows.get(0),
        ts,
        "kcn-dien-nam-dien-ngoc",
        "Điện Bàn",
        "rain-behind-gw",
        Map.of("rain_mm", 2.5));
    assertBystanderUnaffected();
    assertEquals(
        0, influx.query("SELECT * FROM rain_gauge WHERE device = 'foreign-device'").size());
    assertEquals(0, influx.query("SELECT * FROM rain_gauge WHERE device = 'gw-dien-ban'").size());
  }

  @Test
  void publishToAnUnknownTopicIsRefused() throws Exception {
    double before = outcome("invalid_topic");
    MqttAsyncClient v5 = MqttTestClients.v5(node.mqttUri(), "refused", SECRET);
    try {
      assertEquals(
          TOPIC_NAME_INVALID,
          MqttTestClients.publish(
              v5, "sensors/refused", MqttTestClients.lanternJson(now(), "{\"pm25\":1}")));
    } finally {
      MqttTestClients.closeAll(v5);
    }
    assertEquals(before + 1, outcome("invalid_topic"));
    assertBystanderUnaffected();
    assertNothingStoredForRefused();
  }

  @Test
  void invalidPayloadsGetReasonCodesOnMqtt5() throws Exception {
    Map<String, Integer> expected = new LinkedHashMap<>();
    Map<String, byte[]> payloads = invalidPayloads();
    payloads
        .keySet()
        .forEach(
            name ->
                expected.put(
                    name, name.equals("oversized") ? QUOTA_EXCEEDED : PAYLOAD_FORMAT_INVALID));
    double tooLarge = outcome("too_large");
    double invalid = outcome("invalid_payload");
    MqttAsyncClient v5 = MqttTestClients.v5(node.mqttUri(), "refused", SECRET);
    try {
      for (Map.Entry<String, byte[]> payload : payloads.entrySet()) {
        assertEquals(
            expected.get(payload.getKey()),
            MqttTestClients.publish(v5, "telemetry", payload.getValue()),
            payload.getKey());
        assertTrue(v5.isConnected(), "still connected after " + payload.getKey());
      }
    } finally {
      MqttTestClients.closeAll(v5);
    }
    assertEquals(tooLarge + 1, outcome("too_large"));
    assertEquals(invalid + payloads.size() - 1, outcome("invalid_payload"));
    assertBystanderUnaffected();
    assertNothingStoredForRefused();
  }

  @Test
  void invalidPayloadsAreAcknowledgedAndDroppedOnMqtt311() throws Exception {
    Map<String, byte[]> payloads = invalidPayloads();
    double tooLarge = outcome("too_large");
    double invalid = outcome("invalid_payload");
    MqttClient v3 = MqttTestClients.v3(node.mqttUri(), "refused", SECRET);
    try {
      for (byte[] payload : payloads.values()) {
        MqttTestClients.publish(v3, "telemetry", payload);
      }
      assertTrue(v3.isConnected());
    } finally {
      MqttTestClients.closeAll(v3);
    }
    assertEquals(tooLarge + 1, outcome("too_large"));
    assertEquals(invalid + payloads.size() - 1, outcome("invalid_payload"));
    assertBystanderUnaffected();
    assertNothingStoredForRefused();
  }

  /**
   * Oversized, non-finite (JSON and SenML CBOR), bad and reserved metric names, far-future
   * timestamp.
   */
  private static Map<String, byte[]> invalidPayloads() throws IOException {
    Map<String, byte[]> payloads = new LinkedHashMap<>();
    StringBuilder big = new StringBuilder("{\"m\":{\"pm25\":1}}");
    big.append(" ".repeat(70 * 1024));
    payloads.put("oversized", utf8(big.toString()));
    payloads.put("json 1e400", utf8(MqttTestClients.lanternJson(now(), "{\"pm25\":1e400}")));
    payloads.put("senml cbor NaN", senmlCbor("pm25", Double.NaN));
    payloads.put("bad metric name", utf8(MqttTestClients.lanternJson(now(), "{\"PM2.5\":12}")));
    payloads.put("metric named zone", utf8(MqttTestClients.lanternJson(now(), "{\"zone\":1}")));
    payloads.put("metric named time", utf8(MqttTestClients.lanternJson(now(), "{\"time\":1}")));
    payloads.put(
        "far-future timestamp",
        utf8(MqttTestClients.lanternJson(now() + Duration.ofHours(1).toMillis(), "{\"pm25\":12}")));
    return payloads;
  }

  private static byte[] senmlCbor(String name, double value) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator g = new CBORFactory().createGenerator(out)) {
      g.writeStartArray();
      g.writeStartObject();
      g.writeStringField("n", name);
      g.writeNumberField("v", value);
      g.writeEndObject();
      g.writeEndArray();
    }
    return out.toByteArray();
  }

  /** The bystander, connected all along, still gets its readings stored. */
  private static synchronized void assertBystanderUnaffected() {
    try {
      assertTrue(bystander.isConnected(), "the bystander lost its connection");
      long ts = System.currentTimeMillis() - 10_000 + bystanderPoints;
      assertEquals(
          0,
          MqttTestClients.publish(
              bystander, "telemetry", MqttTestClients.lanternJson(ts, "{\"laeq_db\":55.5}")));
      bystanderPoints++;
      influx.awaitRows("SELECT * FROM noise WHERE device = 'bystander'", bystanderPoints, AWAIT);
    } catch (org.eclipse.paho.mqttv5.common.MqttException e) {
      throw new AssertionError("the bystander could not publish", e);
    }
  }

  private static void assertNothingStoredForRefused() {
    assertEquals(
        List.of(),
        influx.query("SELECT * FROM air_quality WHERE device = " + influxString("refused")));
  }

  private static double outcome(String outcome) {
    PrometheusText metrics = node.metrics();
    return metrics.value(MESSAGES, "protocol", "mqtt", "outcome", outcome);
  }

  private static long now() {
    return System.currentTimeMillis();
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
