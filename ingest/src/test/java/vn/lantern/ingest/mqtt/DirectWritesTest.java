package vn.lantern.ingest.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A Vert.x MQTT connection gets direct writes (no outbound queue) on this Vert.x version, a write
 * from another thread is caught instead of racing the event loop, and acknowledgements completed on
 * another thread (as a store's writer thread would) hop to the event loop and arrive in order.
 */
class DirectWritesTest {
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
        AckFixtures.listen(
            vertx,
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
    try (AckFixtures.Client client = AckFixtures.Client.connect(port, "direct-writes", 1)) {
      assertTrue(installed.get(5, TimeUnit.SECONDS), "direct writes not installed");
      client.publish();
      assertInstanceOf(
          AssertionError.class,
          offLoopWrite.get(5, TimeUnit.SECONDS),
          "a write from another thread must be refused");
    }
  }

  @Test
  void acknowledgementsCompletedOnAnotherThreadArriveInOrder() throws Exception {
    CompletableFuture<Boolean> installed = new CompletableFuture<>();
    List<Boolean> writtenOnEventLoop = new CopyOnWriteArrayList<>();
    int port =
        AckFixtures.listen(
            vertx,
            endpoint -> {
              Context context = vertx.getOrCreateContext();
              installed.complete(DirectWrites.install(endpoint));
              endpoint.publishAutoAck(false);
              endpoint.accept(false);
              AckFlushing.install(endpoint);
              AckFixtures.onEveryWindow(
                  endpoint,
                  // As a write's completion on the store's own thread would.
                  ids ->
                      writer.execute(
                          () ->
                              DirectWrites.onEventLoop(
                                  context,
                                  () -> {
                                    writtenOnEventLoop.add(
                                        ((ContextInternal) context).nettyEventLoop().inEventLoop());
                                    ids.forEach(endpoint::publishAcknowledge);
                                  })));
            });

    try (AckFixtures.Client client = AckFixtures.Client.connect(port, "direct-writes-acks", 3)) {
      assertTrue(installed.get(5, TimeUnit.SECONDS), "direct writes not installed");
      client.publishWindowsAndAssertAcknowledgedInOrder(3);
      assertEquals(List.of(true, true, true), writtenOnEventLoop, "written on the event loop");
    }
  }
}
