package vn.lantern.ingest.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.mqtt.MqttEndpoint;
import io.vertx.mqtt.MqttServer;
import io.vertx.mqtt.MqttServerOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
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
 * A Vert.x MQTT connection gets direct writes (no outbound queue) on this Vert.x version, a write
 * from another thread is caught instead of racing the event loop, and acknowledgements completed on
 * another thread (as a store's writer thread would) hop to the event loop and arrive in order.
 */
class DirectWritesTest {
  private static final int WINDOW = 10;

  private final Vertx vertx = Vertx.vertx();
  private final ExecutorService writer = Executors.newSingleThreadExecutor();

  @AfterEach
  void close() {
    writer.shutdownNow();
    vertx.close().await();
  }

  @Test
  void connectionWritesStraightToItsChannelAndOnlyFromItsEventLoop() throws Exception {
    // Vert.x asserts in every direct write that it runs on the connection's event loop: with
    // assertions on, as in every test here, a write from elsewhere fails instead of racing.
    assertTrue(
        Class.forName("io.vertx.core.net.impl.VertxConnection").desiredAssertionStatus(),
        "tests must run with -ea so that off-loop writes fail");
    CompletableFuture<Boolean> installed = new CompletableFuture<>();
    CompletableFuture<Throwable> offLoopWrite = new CompletableFuture<>();
    int port =
        listen(
            endpoint -> {
              installed.complete(DirectWrites.install(endpoint));
              endpoint.publishAutoAck(false);
              endpoint.accept(false);
              endpoint.publishHandler(
                  message ->
                      writer.execute(
                          () -> {
                            try {
                              endpoint.publishAcknowledge(message.messageId());
                              offLoopWrite.complete(null);
                            } catch (Throwable e) {
                              offLoopWrite.complete(e);
                            }
                          }));
            });
    MqttAsyncClient client = connect(port, "direct-writes", new ArrayList<>(), null);
    try {
      assertTrue(installed.get(5, TimeUnit.SECONDS), "direct writes not installed");
      client.publish("telemetry", new byte[] {1}, 1, false);
      assertInstanceOf(
          AssertionError.class,
          offLoopWrite.get(5, TimeUnit.SECONDS),
          "a write from another thread must be refused");
    } finally {
      client.disconnectForcibly(0, 1000);
      client.close(true);
    }
  }

  @Test
  void acknowledgementsCompletedOnAnotherThreadArriveInOrder() throws Exception {
    CompletableFuture<Boolean> installed = new CompletableFuture<>();
    List<Boolean> writtenOnEventLoop = new CopyOnWriteArrayList<>();
    int port =
        listen(
            endpoint -> {
              Context context = vertx.getOrCreateContext();
              installed.complete(DirectWrites.install(endpoint));
              endpoint.publishAutoAck(false);
              endpoint.accept(false);
              AckFlushing.install(endpoint);
              List<Integer> received = new ArrayList<>();
              endpoint.publishHandler(
                  message -> {
                    received.add(message.messageId());
                    if (received.size() == WINDOW) {
                      List<Integer> ids = List.copyOf(received);
                      received.clear();
                      // As a write's completion on the store's own thread would.
                      writer.execute(
                          () ->
                              DirectWrites.onEventLoop(
                                  context,
                                  () -> {
                                    writtenOnEventLoop.add(
                                        ((ContextInternal) context).nettyEventLoop().inEventLoop());
                                    ids.forEach(endpoint::publishAcknowledge);
                                  }));
                    }
                  });
            });

    List<Integer> acknowledged = new CopyOnWriteArrayList<>();
    CountDownLatch all = new CountDownLatch(3 * WINDOW);
    MqttAsyncClient client = connect(port, "direct-writes-acks", acknowledged, all);
    List<Integer> sent = new ArrayList<>();
    try {
      assertTrue(installed.get(5, TimeUnit.SECONDS), "direct writes not installed");
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
      assertEquals(List.of(true, true, true), writtenOnEventLoop, "written on the event loop");
    } finally {
      client.disconnectForcibly(0, 1000);
      client.close(true);
    }
  }

  private int listen(Consumer<MqttEndpoint> onConnect) {
    MqttServer server = MqttServer.create(vertx, new MqttServerOptions().setHost("127.0.0.1"));
    server.endpointHandler(onConnect::accept);
    return server.listen(0).await().actualPort();
  }

  private static MqttAsyncClient connect(
      int port, String clientId, List<Integer> acknowledged, CountDownLatch all) throws Exception {
    MqttAsyncClient client =
        new MqttAsyncClient("tcp://127.0.0.1:" + port, clientId, new MemoryPersistence());
    client.setCallback(
        new MqttCallback() {
          @Override
          public void connectionLost(Throwable cause) {}

          @Override
          public void messageArrived(String topic, MqttMessage message) {}

          @Override
          public void deliveryComplete(IMqttDeliveryToken token) {
            acknowledged.add(token.getMessageId());
            if (all != null) {
              all.countDown();
            }
          }
        });
    MqttConnectOptions options = new MqttConnectOptions();
    // Paho frees an in-flight slot a little after completing the token: leave it room.
    options.setMaxInflight(2 * WINDOW);
    options.setAutomaticReconnect(false);
    client.connect(options).waitForCompletion(MqttTestClients.ACK_TIMEOUT_MS);
    return client;
  }
}
