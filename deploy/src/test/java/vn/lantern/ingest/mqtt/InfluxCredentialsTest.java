package vn.lantern.ingest.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.influxdb.InfluxDB;
import org.influxdb.InfluxDBFactory;
import org.influxdb.dto.Query;
import org.influxdb.dto.QueryResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.lantern.deploy.testing.TestNode;
import vn.lantern.ingest.MqttTestClients;
import vn.lantern.testing.InfluxdProcess;

/**
 * A password rotation on InfluxDB is an outage, not a refusal of the data: while the node's
 * credentials are wrong (401) an MQTT 3.1.1 reading gets no PUBACK, health and metrics show the
 * failing writes, and once the credentials work again the node stores it by itself and
 * acknowledges.
 */
class InfluxCredentialsTest {
  private static final String DATABASE = "lantern";
  private static final String USER = "lantern-admin";
  private static final String PASSWORD = "first-password";
  private static final String ROTATED = "rotated-password";
  private static final String SECRET = "s3cret-for-tests-only";
  private static final long NO_ACK_WINDOW_MS = 3_000;

  @TempDir Path dataDir;

  @Test
  void wrongCredentialsHoldThePubackUntilTheyWorkAgain() throws Exception {
    try (InfluxdProcess influxd = InfluxdProcess.startWithAuth(USER, PASSWORD);
        TestNode node =
            TestNode.builder(dataDir, influxd.url(), DATABASE)
                .set("rules.seedRulePacks", false)
                .set("influx.username", USER)
                .set("influx.password", PASSWORD)
                .start();
        InfluxDB admin = InfluxDBFactory.connect(influxd.url(), USER, PASSWORD)) {
      node.register("wl-rotation", "water_level", "hoi-an", "Sông Hoài", SECRET);
      MqttAsyncClient client =
          new MqttAsyncClient(node.mqttUri(), "wl-rotation-client", new MemoryPersistence());
      try {
        client
            .connect(MqttTestClients.v3Options("wl-rotation", SECRET))
            .waitForCompletion(MqttTestClients.ACK_TIMEOUT_MS);
        long before = System.currentTimeMillis() - 10_000;
        publish(client, before, 1.5).waitForCompletion(MqttTestClients.ACK_TIMEOUT_MS);

        admin.query(new Query("SET PASSWORD FOR \"" + USER + "\" = '" + ROTATED + "'"));
        InfluxDB rotatedAdmin = InfluxDBFactory.connect(influxd.url(), USER, ROTATED);
        long during = System.currentTimeMillis() - 5_000;
        IMqttDeliveryToken held = publish(client, during, 2.75);
        Thread.sleep(NO_ACK_WINDOW_MS);
        assertFalse(held.isComplete(), "PUBACK sent while InfluxDB refused the node's password");
        assertTrue(client.isConnected(), "the node dropped the connection during the outage");
        TestNode.Response health = node.get("/health");
        assertEquals(503, health.status(), health.body());
        JsonObject influx = health.json().getJsonObject("checks").getJsonObject("influxdb");
        assertEquals("DOWN", influx.getString("status"), health.body());
        assertTrue(
            node.metrics().value("lantern_store_write_failures_total", "kind", "retryable") > 0,
            "failed writes are counted as retryable");
        assertEquals(
            0.0, node.metrics().value("lantern_store_write_failures_total", "kind", "rejected"));

        rotatedAdmin.query(new Query("SET PASSWORD FOR \"" + USER + "\" = '" + PASSWORD + "'"));
        rotatedAdmin.close();
        held.waitForCompletion(60_000);
        assertTrue(held.isComplete());
        assertNull(held.getException());
        assertEquals(200, node.get("/health").status());

        QueryResult result =
            admin.query(
                new Query("SELECT level_m FROM water_level WHERE device = 'wl-rotation'", DATABASE),
                TimeUnit.MILLISECONDS);
        List<List<Object>> values = result.getResults().get(0).getSeries().get(0).getValues();
        assertEquals(
            List.of(List.of((double) before, 1.5), List.of((double) during, 2.75)),
            values.stream()
                .map(row -> List.<Object>of(((Number) row.get(0)).doubleValue(), row.get(1)))
                .toList());
      } finally {
        if (client.isConnected()) {
          client.disconnect(0).waitForCompletion(MqttTestClients.ACK_TIMEOUT_MS);
        }
        client.close(true);
      }
    }
  }

  private static IMqttDeliveryToken publish(MqttAsyncClient client, long ts, double level)
      throws Exception {
    MqttMessage message =
        new MqttMessage(
            MqttTestClients.lanternJson(ts, "{\"level_m\":" + level + "}")
                .getBytes(StandardCharsets.UTF_8));
    message.setQos(1);
    return client.publish("telemetry", message);
  }
}
