package vn.lantern.ingest.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.mqtt.MqttEndpoint;
import io.vertx.mqtt.MqttServer;
import io.vertx.mqtt.MqttServerOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import vn.lantern.ingest.MqttTestClients;

/**
 * What the tests of an MQTT connection's write path share: a bare Vert.x MQTT server whose
 * endpoints the test sets up, and a Paho client that publishes windows of QoS 1 messages and
 * records the order of their PUBACKs.
 */
final class AckFixtures {
  /** Publishes a test sends before it waits for their acknowledgements. */
  static final int WINDOW = 10;

  private AckFixtures() {}

  /** Listens on a free port of 127.0.0.1, handing each connection to {@code onConnect}. */
  static int listen(Vertx vertx, Consumer<MqttEndpoint> onConnect) {
    MqttServer server = MqttServer.create(vertx, new MqttServerOptions().setHost("127.0.0.1"));
    server.endpointHandler(onConnect::accept);
    return server.listen(0).await().actualPort();
  }

  /**
   * Hands {@code onWindow} the ids of each full window of publishes the endpoint receives, for the
   * test to acknowledge as it likes.
   */
  static void onEveryWindow(MqttEndpoint endpoint, Consumer<List<Integer>> onWindow) {
    List<Integer> received = new ArrayList<>();
    endpoint.publishHandler(
        message -> {
          received.add(message.messageId());
          if (received.size() == WINDOW) {
            List<Integer> ids = List.copyOf(received);
            received.clear();
            onWindow.accept(ids);
          }
        });
  }

  /** A connected Paho client recording the ids of its acknowledged publishes in order. */
  static final class Client implements AutoCloseable {
    private final MqttAsyncClient paho;
    private final List<Integer> sent = new ArrayList<>();
    private final List<Integer> acknowledged = new CopyOnWriteArrayList<>();
    private final CountDownLatch all;

    private Client(MqttAsyncClient paho, int rounds) {
      this.paho = paho;
      this.all = new CountDownLatch(rounds * WINDOW);
    }

    /** Connects to {@code port} as {@code clientId}, to publish {@code rounds} windows. */
    static Client connect(int port, String clientId, int rounds) throws MqttException {
      MqttAsyncClient paho =
          new MqttAsyncClient("tcp://127.0.0.1:" + port, clientId, new MemoryPersistence());
      Client client = new Client(paho, rounds);
      paho.setCallback(
          new MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {}

            @Override
            public void messageArrived(String topic, MqttMessage message) {}

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
              client.acknowledged.add(token.getMessageId());
              client.all.countDown();
            }
          });
      MqttConnectOptions options = new MqttConnectOptions();
      // Paho frees an in-flight slot a little after completing the token: leave it room.
      options.setMaxInflight(2 * WINDOW);
      options.setAutomaticReconnect(false);
      paho.connect(options).waitForCompletion(MqttTestClients.ACK_TIMEOUT_MS);
      return client;
    }

    /** Publishes one QoS 1 message to {@code telemetry} without waiting for its PUBACK. */
    IMqttDeliveryToken publish() throws MqttException {
      IMqttDeliveryToken token = paho.publish("telemetry", new byte[] {1}, 1, false);
      sent.add(token.getMessageId());
      return token;
    }

    /**
     * Publishes {@code rounds} windows, each after the previous one is acknowledged, then asserts
     * that every publish was acknowledged, in publish order.
     */
    void publishWindowsAndAssertAcknowledgedInOrder(int rounds) throws Exception {
      for (int round = 0; round < rounds; round++) {
        List<IMqttDeliveryToken> tokens = new ArrayList<>();
        for (int i = 0; i < WINDOW; i++) {
          tokens.add(publish());
        }
        for (IMqttDeliveryToken token : tokens) {
          token.waitForCompletion(MqttTestClients.ACK_TIMEOUT_MS);
        }
      }
      assertTrue(all.await(MqttTestClients.ACK_TIMEOUT_MS, TimeUnit.MILLISECONDS));
      assertEquals(sent, acknowledged, "PUBACKs in publish order");
    }

    @Override
    public void close() throws MqttException {
      paho.disconnectForcibly(0, 1000);
      paho.close(true);
    }
  }
}
