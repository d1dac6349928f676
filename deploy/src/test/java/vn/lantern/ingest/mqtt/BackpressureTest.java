package vn.lantern.ingest.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.lantern.deploy.testing.TestNode;
import vn.lantern.ingest.MqttTestClients;
import vn.lantern.testing.InfluxdProcess;

/**
 * When the write buffer is full the node says so in the protocol: MQTT 5 gets PUBACK 0x97 (quota
 * exceeded), MQTT 3.1.1, which has no negative acknowledgement, is disconnected so its client
 * redelivers after reconnecting. Readings already buffered are still stored and acknowledged.
 */
class BackpressureTest {
  private static final String SECRET = "s3cret-for-tests-only";
  private static final int QUOTA_EXCEEDED = 0x97;

  @TempDir Path dataDir;

  @Test
  void aFullBufferRefusesMqtt5AndDisconnectsMqtt311() throws Exception {
    try (InfluxdProcess influxd = InfluxdProcess.start();
        TestNode node =
            TestNode.builder(dataDir, influxd.url(), "lantern")
                .set("rules.seedRulePacks", false)
                .set("influx.maxBufferedReadings", "1")
                .start()) {
      for (String id : new String[] {"bp-holder", "bp-v5", "bp-v3"}) {
        node.register(id, "water_level", "hoi-an", "Sông Hoài", SECRET);
      }
      MqttAsyncClient holder =
          new MqttAsyncClient(node.mqttUri(), "bp-holder-client", new MemoryPersistence());
      holder
          .connect(MqttTestClients.v3Options("bp-holder", SECRET))
          .waitForCompletion(MqttTestClients.ACK_TIMEOUT_MS);
      org.eclipse.paho.mqttv5.client.MqttAsyncClient v5 =
          MqttTestClients.v5(node.mqttUri(), "bp-v5", SECRET);
      MqttAsyncClient v3 =
          new MqttAsyncClient(node.mqttUri(), "bp-v3-client", new MemoryPersistence());
      CountDownLatch v3Lost = new CountDownLatch(1);
      v3.setCallback(
          new MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {
              v3Lost.countDown();
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {}

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {}
          });
      v3.connect(MqttTestClients.v3Options("bp-v3", SECRET))
          .waitForCompletion(MqttTestClients.ACK_TIMEOUT_MS);
      try {
        influxd.stop();
        IMqttDeliveryToken held = holder.publish("telemetry", message(1.0));
        awaitBuffered(node, 1);

        assertEquals(QUOTA_EXCEEDED, MqttTestClients.publish(v5, "telemetry", payload(2.0)));
        assertTrue(v5.isConnected(), "MQTT 5 keeps its connection");

        IMqttDeliveryToken refused = v3.publish("telemetry", message(3.0));
        assertTrue(
            v3Lost.await(MqttTestClients.ACK_TIMEOUT_MS, TimeUnit.MILLISECONDS),
            "MQTT 3.1.1 publisher was not disconnected");
        assertFalse(
            refused.isComplete() && refused.getException() == null, "refused publish was acked");
        assertEquals(
            2.0, node.metrics().value("lantern_ingest_messages_total", "outcome", "unavailable"));

        influxd.restart();
        held.waitForCompletion(60_000);
        assertNull(held.getException());
      } finally {
        MqttTestClients.closeAll(v5);
        close(holder);
        close(v3);
      }
    }
  }

  private static void close(MqttAsyncClient client) throws Exception {
    if (client.isConnected()) {
      client.disconnectForcibly(0, 1000);
    }
    client.close(true);
  }

  private static void awaitBuffered(TestNode node, double readings) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (node.metrics().value("lantern_store_buffered_readings") < readings) {
      assertTrue(System.nanoTime() < deadline, "the first reading never reached the buffer");
      Thread.sleep(50);
    }
  }

  private static byte[] payload(double level) {
    return MqttTestClients.lanternJson(
            System.currentTimeMillis() - 5_000, "{\"level_m\":" + level + "}")
        .getBytes(StandardCharsets.UTF_8);
  }

  private static MqttMessage message(double level) {
    MqttMessage message = new MqttMessage(payload(level));
    message.setQos(1);
    return message;
  }
}
