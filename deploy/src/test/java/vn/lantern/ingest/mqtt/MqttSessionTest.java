package vn.lantern.ingest.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
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
 * Clients that ask for a persistent session get it back (session present) when they reconnect, so
 * they retransmit what was not acknowledged; a retransmission (DUP, same packet id) of readings
 * without a time of their own stores no second point.
 */
class MqttSessionTest {
  private static final String SECRET = "s3cret-for-tests-only";

  @TempDir Path dataDir;

  @Test
  void persistentSessionsArePresentOnReconnect() throws Exception {
    try (InfluxdProcess influxd = InfluxdProcess.start();
        TestNode node =
            TestNode.builder(dataDir, influxd.url(), "lantern")
                .set("rules.seedRulePacks", false)
                .start()) {
      node.register("sess-v5", "rain_gauge", "hoi-an", "Cẩm Hà", SECRET);
      node.register("sess-v3", "rain_gauge", "hoi-an", "Cẩm Hà", SECRET);

      org.eclipse.paho.mqttv5.client.MqttAsyncClient v5 =
          new org.eclipse.paho.mqttv5.client.MqttAsyncClient(
              node.mqttUri(),
              "sess-v5-client",
              new org.eclipse.paho.mqttv5.client.persist.MemoryPersistence());
      MqttConnectionOptions keep = MqttTestClients.v5Options("sess-v5", SECRET);
      keep.setCleanStart(false);
      keep.setSessionExpiryInterval(300L);
      assertFalse(connect(v5, keep), "a new session is not present");
      v5.disconnect().waitForCompletion(MqttTestClients.ACK_TIMEOUT_MS);
      assertTrue(connect(v5, keep), "MQTT 5 session not kept");
      v5.disconnect().waitForCompletion(MqttTestClients.ACK_TIMEOUT_MS);
      keep.setCleanStart(true);
      assertFalse(connect(v5, keep), "Clean Start must discard the session");
      v5.disconnect().waitForCompletion(MqttTestClients.ACK_TIMEOUT_MS);
      v5.close();

      MqttAsyncClient v3 =
          new MqttAsyncClient(node.mqttUri(), "sess-v3-client", new MemoryPersistence());
      MqttConnectOptions options = MqttTestClients.v3Options("sess-v3", SECRET);
      options.setCleanSession(false);
      assertFalse(connect(v3, options), "a new session is not present");
      v3.disconnect().waitForCompletion(MqttTestClients.ACK_TIMEOUT_MS);
      assertTrue(connect(v3, options), "MQTT 3.1.1 cleanSession=false session not kept");
      v3.disconnect().waitForCompletion(MqttTestClients.ACK_TIMEOUT_MS);
      v3.close();
    }
  }

  @Test
  void aRetransmittedReadingWithoutTimeStoresNoSecondPoint() throws Exception {
    try (InfluxdProcess influxd = InfluxdProcess.start();
        TestNode node =
            TestNode.builder(dataDir, influxd.url(), "lantern")
                .set("rules.seedRulePacks", false)
                .start()) {
      node.register("sess-rain", "rain_gauge", "hoi-an", "Cẩm Hà", SECRET);
      MqttAsyncClient client =
          new MqttAsyncClient(node.mqttUri(), "sess-rain-client", new MemoryPersistence());
      MqttConnectOptions options = MqttTestClients.v3Options("sess-rain", SECRET);
      options.setCleanSession(false);
      client.connect(options).waitForCompletion(MqttTestClients.ACK_TIMEOUT_MS);
      try {
        influxd.stop(); // the reading arrives, but its PUBACK cannot go out yet
        MqttMessage message =
            new MqttMessage("{\"m\":{\"rain_mm\":1.5}}".getBytes(StandardCharsets.UTF_8));
        message.setQos(1);
        client.publish("telemetry", message);
        Thread.sleep(500);
        client.disconnectForcibly(0, 1000, false);
        Thread.sleep(1_100); // a retransmission stamped anew would land at another millisecond

        assertTrue(connect(client, options), "session not present: nothing would be retransmitted");
        IMqttDeliveryToken retransmitted = client.getPendingDeliveryTokens()[0];
        influxd.restart();
        retransmitted.waitForCompletion(60_000);
        assertNull(retransmitted.getException());

        try (InfluxDB influx = InfluxDBFactory.connect(influxd.url())) {
          QueryResult result =
              influx.query(
                  new Query("SELECT rain_mm FROM rain_gauge WHERE device = 'sess-rain'", "lantern"),
                  TimeUnit.MILLISECONDS);
          List<List<Object>> rows = result.getResults().get(0).getSeries().get(0).getValues();
          assertEquals(1, rows.size(), "points: " + rows);
        }
      } finally {
        if (client.isConnected()) {
          client.disconnectForcibly(0, 1000);
        }
        client.close(true);
      }
    }
  }

  private static boolean connect(MqttAsyncClient client, MqttConnectOptions options)
      throws Exception {
    org.eclipse.paho.client.mqttv3.IMqttToken token = client.connect(options);
    token.waitForCompletion(MqttTestClients.ACK_TIMEOUT_MS);
    return token.getSessionPresent();
  }

  private static boolean connect(
      org.eclipse.paho.mqttv5.client.MqttAsyncClient client, MqttConnectionOptions options)
      throws Exception {
    org.eclipse.paho.mqttv5.client.IMqttToken token = client.connect(options);
    token.waitForCompletion(MqttTestClients.ACK_TIMEOUT_MS);
    return token.getSessionPresent();
  }
}
