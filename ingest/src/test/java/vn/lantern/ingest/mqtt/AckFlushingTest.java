package vn.lantern.ingest.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.mqtt.MqttServer;
import io.vertx.mqtt.MqttServerOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import vn.lantern.ingest.MqttTestClients;

/**
 * Flush consolidation goes in on a Vert.x MQTT connection, and acknowledgements written together
 * outside a read (as a completed InfluxDB write sends them) all reach the client, in order.
 */
class AckFlushingTest {
  private static final int WINDOW = 10;

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    vertx.close().await();
  }

  @Test
  void acknowledgementsWrittenInOneTaskAllArriveInOrder() throws Exception {
    CompletableFuture<Boolean> installed = new CompletableFuture<>();
    MqttServer server = MqttServer.create(vertx, new MqttServerOptions().setHost("127.0.0.1"));
    server.endpointHandler(
        endpoint -> {
          endpoint.publishAutoAck(false);
          endpoint.accept(false);
          installed.complete(AckFlushing.install(endpoint));
          List<Integer> received = new ArrayList<>();
          endpoint.publishHandler(
              message -> {
                received.add(message.messageId());
                if (received.size() == WINDOW) {
                  List<Integer> ids = List.copyOf(received);
                  received.clear();
                  // Outside the read, as a write's completion task runs: Vert.x would flush each.
                  vertx.runOnContext(v -> ids.forEach(endpoint::publishAcknowledge));
                }
              });
        });
    int port = server.listen(0).await().actualPort();

    List<Integer> sent = new CopyOnWriteArrayList<>();
    List<Integer> acknowledged = new CopyOnWriteArrayList<>();
    CountDownLatch all = new CountDownLatch(3 * WINDOW);
    MqttAsyncClient client =
        new MqttAsyncClient("tcp://127.0.0.1:" + port, "ack-flushing", new MemoryPersistence());
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
          }
        });
    MqttConnectOptions options = new MqttConnectOptions();
    // Paho frees an in-flight slot a little after completing the token: leave it room.
    options.setMaxInflight(2 * WINDOW);
    options.setAutomaticReconnect(false);
    client.connect(options).waitForCompletion(MqttTestClients.ACK_TIMEOUT_MS);
    try {
      assertTrue(installed.get(5, TimeUnit.SECONDS), "flush consolidation not installed");
      for (int round = 0; round < 3; round++) {
        List<IMqttDeliveryToken> tokens = new ArrayList<>();
        for (int i = 0; i < WINDOW; i++) {
          IMqttDeliveryToken token = client.publish("telemetry", new byte[] {1}, 1, false);
          sent.add(token.getMessageId());
          tokens.add(token);
        }
        for (IMqttDeliveryToken token : tokens) {
          token.waitForCompletion(MqttTestClients.ACK_TIMEOUT_MS);
        }
      }
      assertTrue(all.await(MqttTestClients.ACK_TIMEOUT_MS, TimeUnit.MILLISECONDS));
      assertEquals(sent, acknowledged, "PUBACKs in publish order");
    } finally {
      client.disconnectForcibly(0, 1000);
      client.close(true);
    }
  }
}
