package vn.lantern.ingest.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import vn.lantern.deploy.testing.TestNode;
import vn.lantern.ingest.MqttTestClients;
import vn.lantern.testing.InfluxDbExtension;
import vn.lantern.testing.TestInflux;

/**
 * A client with 20 publishes in flight gets every PUBACK, in publish order, although one InfluxDB
 * write completes many of them in one task (one flush) and refusals are decided before earlier
 * readings are durable.
 */
@ExtendWith(InfluxDbExtension.class)
class MqttAckOrderTest {
  private static final String SECRET = "s3cret-for-tests-only";
  private static final String DEVICE = "ack-order-rain";
  private static final int WINDOW = 20;
  private static final int MESSAGES = 400;

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
    node.register(DEVICE, "rain_gauge", "hoi-an", "Cẩm Hà", SECRET);
  }

  @AfterAll
  static void stopNode() throws Exception {
    if (node != null) {
      node.close();
    }
  }

  @Test
  void everyPubackArrivesInPublishOrderWithManyInFlight() throws Exception {
    Semaphore window = new Semaphore(WINDOW);
    List<Integer> sent = new CopyOnWriteArrayList<>();
    List<Integer> acknowledged = new CopyOnWriteArrayList<>();
    CountDownLatch all = new CountDownLatch(MESSAGES);
    MqttAsyncClient client =
        new MqttAsyncClient(node.mqttUri(), DEVICE + "-client", new MemoryPersistence());
    client.setCallback(
        new MqttCallback() {
          @Override
          public void connectionLost(Throwable cause) {}

          @Override
          public void messageArrived(String topic, MqttMessage message) {}

          @Override
          public void deliveryComplete(IMqttDeliveryToken token) {
            acknowledged.add(token.getMessageId());
            all.countDown();
            window.release();
          }
        });
    MqttConnectOptions options = MqttTestClients.v3Options(DEVICE, SECRET);
    // Paho frees an in-flight slot a little after deliveryComplete: leave it room.
    options.setMaxInflight(2 * WINDOW);
    client.connect(options).waitForCompletion(MqttTestClients.ACK_TIMEOUT_MS);
    long firstTs = System.currentTimeMillis() - 60_000;
    int stored = 0;
    try {
      for (int i = 0; i < MESSAGES; i++) {
        assertTrue(
            window.tryAcquire(MqttTestClients.ACK_TIMEOUT_MS, TimeUnit.MILLISECONDS),
            "no PUBACK for " + WINDOW + " publishes in flight");
        // Every tenth message is not JSON: MQTT 3.1.1 acknowledges and drops it at once, ahead of
        // the earlier messages still waiting for InfluxDB.
        String payload =
            i % 10 == 9 ? "not json" : MqttTestClients.lanternJson(firstTs + i, "{\"rain_mm\":1}");
        stored += i % 10 == 9 ? 0 : 1;
        MqttMessage message = new MqttMessage(payload.getBytes(StandardCharsets.UTF_8));
        message.setQos(1);
        sent.add(client.publish("telemetry", message).getMessageId());
      }
      assertTrue(
          all.await(MqttTestClients.ACK_TIMEOUT_MS, TimeUnit.MILLISECONDS),
          acknowledged.size() + " of " + MESSAGES + " PUBACKs");
      assertEquals(new ArrayList<>(sent), new ArrayList<>(acknowledged), "PUBACK order");
    } finally {
      client.disconnectForcibly(0, 1000);
      client.close(true);
    }
    assertEquals(
        stored,
        influx
            .awaitRows(
                "SELECT rain_mm FROM rain_gauge WHERE device = '" + DEVICE + "'",
                stored,
                Duration.ofSeconds(20))
            .size());
  }
}
