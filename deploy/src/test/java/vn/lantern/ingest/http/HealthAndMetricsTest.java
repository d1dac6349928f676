package vn.lantern.ingest.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import vn.lantern.common.build.BuildInfo;
import vn.lantern.deploy.testing.PrometheusText;
import vn.lantern.deploy.testing.TestNode;
import vn.lantern.deploy.testing.TestNode.Response;
import vn.lantern.ingest.MqttTestClients;
import vn.lantern.testing.InfluxDbExtension;
import vn.lantern.testing.TestInflux;

/** {@code /health} reports InfluxDB reachability as JSON; {@code /metrics} the ingest counters. */
@ExtendWith(InfluxDbExtension.class)
class HealthAndMetricsTest {
  private static final String SECRET = "s3cret-for-tests-only";

  @TempDir static Path dataDir;
  private static TestNode node;
  private static TestInflux influx;

  @BeforeAll
  static void startNode(TestInflux testInflux) throws Exception {
    influx = testInflux;
    node =
        TestNode.builder(dataDir, influx.url(), influx.database())
            .set("rules.seedRulePacks", false)
            .start();
  }

  @AfterAll
  static void stopNode() throws Exception {
    if (node != null) {
      node.close();
    }
  }

  @Test
  void healthReportsInfluxDbAndTheMqttEndpoint() {
    Response response = node.get("/health");
    assertEquals(200, response.status(), response.body());
    assertTrue(response.contentType().startsWith("application/json"), response.contentType());
    JsonObject health = response.json();
    assertEquals("UP", health.getString("status"));
    JsonObject influxdb = health.getJsonObject("checks").getJsonObject("influxdb");
    assertEquals("UP", influxdb.getString("status"));
    // unauthenticated: it names no internal address
    assertFalse(influxdb.containsKey("url"), response.body());
    assertFalse(response.body().contains(influx.url()), response.body());
    JsonObject mqtt = health.getJsonObject("checks").getJsonObject("mqtt");
    assertEquals(node.mqttPort(), mqtt.getInteger("port"));
    assertEquals(BuildInfo.current().version(), health.getString("version"));
    assertTrue(health.getString("version").matches("\\d+\\.\\d+\\.\\d+.*"), health.encode());
    assertTrue(health.getString("commit").matches("[0-9a-f]{7,40}|unknown"), health.encode());
    assertEquals(200, node.get("/health/live").status());
    assertEquals(200, node.get("/health/ready").status());
  }

  @Test
  void metricsCountIngestTraffic() throws Exception {
    node.register("noise-tam-ky-01", "noise", "tam-ky", "Quảng trường 24/3", SECRET);
    long ts = System.currentTimeMillis() - 25_000;
    MqttClient client = MqttTestClients.v3(node.mqttUri(), "noise-tam-ky-01", SECRET);
    try {
      awaitConnections(1.0);
      MqttTestClients.publish(
          client,
          "telemetry",
          MqttTestClients.lanternJson(ts, "{\"laeq_db\":61.5,\"lmax_db\":70}"));
      MqttTestClients.publish(client, "telemetry", MqttTestClients.lanternJson(ts, "{\"Bad\":1}"));
    } finally {
      MqttTestClients.closeAll(client);
    }
    influx.awaitRows("SELECT * FROM noise", 1, Duration.ofSeconds(20));
    awaitConnections(0.0);

    Response response = node.get("/metrics");
    assertEquals(200, response.status());
    assertTrue(response.contentType().startsWith("text/plain"), response.contentType());
    PrometheusText metrics = new PrometheusText(response.body());
    assertTrue(response.body().contains("# TYPE lantern_ingest_messages_total counter"));
    assertEquals(
        1.0,
        metrics.value("lantern_ingest_messages_total", "protocol", "mqtt", "outcome", "accepted"));
    assertEquals(
        1.0,
        metrics.value(
            "lantern_ingest_messages_total", "protocol", "mqtt", "outcome", "invalid_payload"));
    assertEquals(2.0, metrics.value("lantern_ingest_readings_accepted_total", "protocol", "mqtt"));
    assertEquals(2.0, metrics.value("lantern_store_readings_written_total"));
    assertEquals(1.0, metrics.value("lantern_store_points_written_total"));
    assertTrue(metrics.value("lantern_store_write_duration_seconds_count") >= 1, metrics::text);
    assertTrue(metrics.value("lantern_store_batch_points_count") >= 1, metrics::text);

    assertThrows(
        MqttException.class,
        () -> MqttTestClients.v3(node.mqttUri(), "noise-tam-ky-01", "wrong-secret-0123456789"));
    assertEquals(
        1.0, node.metrics().value("lantern_ingest_auth_failures_total", "protocol", "mqtt"));
  }

  /** The connection gauge follows the CONNACK / close on the event loop, so it is polled. */
  private static void awaitConnections(double expected) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    double actual;
    while ((actual = node.metrics().value("lantern_ingest_connections", "protocol", "mqtt"))
            != expected
        && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertEquals(expected, actual, "lantern_ingest_connections");
  }
}
