package vn.lantern.ingest.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
 * PUBACK means durable: while InfluxDB is down a QoS 1 publish stays unacknowledged and the node
 * stays up (its health says InfluxDB is DOWN); once InfluxDB is back the write goes through by
 * itself, the PUBACK arrives and the point is stored.
 */
class InfluxOutageTest {
  private static final String DATABASE = "lantern";
  private static final String SECRET = "s3cret-for-tests-only";
  private static final long NO_ACK_WINDOW_MS = 3_000;

  @TempDir Path dataDir;

  @Test
  void pubackWaitsForInfluxDb() throws Exception {
    try (InfluxdProcess influxd = InfluxdProcess.start();
        TestNode node =
            TestNode.builder(dataDir, influxd.url(), DATABASE)
                .set("rules.seedRulePacks", false)
                .start()) {
      node.register("wl-outage", "water_level", "hoi-an", "Sông Hoài", SECRET);
      MqttAsyncClient client =
          new MqttAsyncClient(node.mqttUri(), "wl-outage-client", new MemoryPersistence());
      try {
        client
            .connect(MqttTestClients.v3Options("wl-outage", SECRET))
            .waitForCompletion(MqttTestClients.ACK_TIMEOUT_MS);
        assertHealth(node, 200, "UP");

        influxd.stop();
        assertHealth(node, 503, "DOWN");

        long ts = System.currentTimeMillis() - 5_000;
        MqttMessage message =
            new MqttMessage(
                MqttTestClients.lanternJson(ts, "{\"level_m\":2.75}")
                    .getBytes(StandardCharsets.UTF_8));
        message.setQos(1);
        IMqttDeliveryToken token = client.publish("telemetry", message);
        Thread.sleep(NO_ACK_WINDOW_MS);
        assertFalse(token.isComplete(), "PUBACK sent while InfluxDB was down");
        assertTrue(client.isConnected(), "the node dropped the connection during the outage");
        assertHealth(node, 503, "DOWN");

        influxd.restart();
        token.waitForCompletion(60_000);
        assertTrue(token.isComplete());
        assertEquals(null, token.getException());
        assertHealth(node, 200, "UP");

        try (InfluxDB influx = InfluxDBFactory.connect(influxd.url())) {
          QueryResult result =
              influx.query(
                  new Query("SELECT * FROM water_level WHERE device = 'wl-outage'", DATABASE),
                  TimeUnit.MILLISECONDS);
          List<QueryResult.Series> series = result.getResults().get(0).getSeries();
          assertEquals(1, series.size(), result.toString());
          List<String> columns = series.get(0).getColumns();
          List<Object> point = series.get(0).getValues().get(0);
          assertEquals(1, series.get(0).getValues().size());
          assertEquals(ts, ((Number) point.get(columns.indexOf("time"))).longValue());
          assertEquals(2.75, point.get(columns.indexOf("level_m")));
          assertEquals("Sông Hoài", point.get(columns.indexOf("site")));
        }
      } finally {
        if (client.isConnected()) {
          client.disconnect(0).waitForCompletion(MqttTestClients.ACK_TIMEOUT_MS);
        }
        client.close(true);
      }
    }
  }

  private static void assertHealth(TestNode node, int status, String influxStatus)
      throws Exception {
    TestNode.Response response = node.get("/health");
    assertEquals(status, response.status(), response.body());
    JsonObject influxdb = response.json().getJsonObject("checks").getJsonObject("influxdb");
    assertEquals(influxStatus, influxdb.getString("status"), response.body());
  }
}
