package vn.lantern.ingest.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.epoll.EpollChannelOption;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A connection whose client holds publishes back (it had room in its window and sent nothing until
 * our answer carried the TCP acknowledgement) is back in quick-acknowledgement mode after every
 * read, even though it answers with data (which puts Linux back to delayed acknowledgements); a
 * client that only waits for its window gets no re-arming. Each byte stands for a publish and its
 * echo for the PUBACK.
 */
class QuickAcksTest {
  private static final int ROUNDS = 6;
  private static final ChannelOption<Boolean> QUICK_ACK = EpollChannelOption.TCP_QUICKACK;
  // Longer than any test run, so a slow machine cannot end the re-arming.
  private static final Duration HOLD = Duration.ofMinutes(5);

  private final Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));

  @AfterEach
  void close() {
    vertx.close().await();
  }

  @Test
  void aClientHoldingPublishesBackIsAcknowledgedAtOnceAfterEveryRead() throws Exception {
    List<Read> reads = new CopyOnWriteArrayList<>();
    try (Socket client = new Socket("127.0.0.1", echoServer(reads))) {
      exchange(client, 1);
      // More than the one publish the answer freed: it could have sent these before.
      exchange(client, 3);
      for (int round = 0; round < ROUNDS; round++) {
        exchange(client, 1);
      }
    }

    // Each read is recorded before its echo leaves; the end of the stream adds none.
    reads = reads.stream().filter(r -> r.bytes() > 0).toList();
    int heldBack = firstReadOf(reads, 3);
    List<Read> after = reads.subList(heldBack, reads.size());
    assertTrue(after.size() > ROUNDS, "reads: " + reads);
    assertTrue(after.stream().allMatch(Read::quick), "reads: " + reads);
  }

  @Test
  void aClientWaitingOnlyForItsWindowGetsNoRearming() throws Exception {
    List<Read> reads = new CopyOnWriteArrayList<>();
    try (Socket client = new Socket("127.0.0.1", echoServer(reads))) {
      for (int round = 0; round < ROUNDS + 2; round++) {
        exchange(client, 2);
      }
    }
    reads = reads.stream().filter(r -> r.bytes() > 0).toList();

    // Linux acknowledges the first segments of a connection at once by itself; then, answering
    // with data, it is back to delayed acknowledgements, and nothing sets it again.
    assertTrue(reads.size() >= ROUNDS + 2, "reads: " + reads);
    assertTrue(
        reads.subList(reads.size() - ROUNDS, reads.size()).stream().noneMatch(Read::quick),
        "reads: " + reads);
  }

  /** Bytes of one read and whether the socket acknowledges at once after it. */
  private record Read(int bytes, boolean quick) {}

  private int echoServer(List<Read> reads) {
    assertTrue(
        vertx.isNativeTransportEnabled(),
        "Netty's epoll transport is not available: " + vertx.unavailableNativeTransportCause());
    NetServer server = vertx.createNetServer(new NetServerOptions().setHost("127.0.0.1"));
    server.connectHandler(
        socket -> {
          ChannelPipeline pipeline =
              ((NetSocketInternal) socket).channelHandlerContext().pipeline();
          QuickAcks quickAcks = QuickAcks.install(pipeline, HOLD);
          assertNotNull(quickAcks);
          int[] bytes = {0};
          pipeline.addAfter(
              QuickAcks.HANDLER_NAME,
              "probe",
              new ChannelInboundHandlerAdapter() {
                @Override
                public void channelReadComplete(ChannelHandlerContext ctx) {
                  reads.add(new Read(bytes[0], ctx.channel().config().getOption(QUICK_ACK)));
                  bytes[0] = 0;
                  ctx.fireChannelReadComplete();
                }
              });
          socket.handler(
              buffer -> {
                bytes[0] += buffer.length();
                for (int i = 0; i < buffer.length(); i++) {
                  quickAcks.publishRead();
                }
                // Answering with data at once is what turns delayed acknowledgements back on.
                socket.write(buffer);
                for (int i = 0; i < buffer.length(); i++) {
                  quickAcks.acknowledged();
                }
              });
        });
    return server.listen(0).await().actualPort();
  }

  /** Sends {@code count} bytes in one write and waits for their echo. */
  private static void exchange(Socket client, int count) throws Exception {
    OutputStream out = client.getOutputStream();
    out.write(new byte[count]);
    out.flush();
    InputStream in = client.getInputStream();
    for (int i = 0; i < count; i++) {
      assertEquals(0, in.read(), "echo");
    }
  }

  private static int firstReadOf(List<Read> reads, int bytes) {
    for (int i = 0; i < reads.size(); i++) {
      if (reads.get(i).bytes() >= bytes) {
        return i;
      }
    }
    throw new AssertionError("no read of " + bytes + " bytes: " + reads);
  }

  @Test
  void otherTransportsGetNothing() throws Exception {
    Vertx nio = Vertx.vertx();
    try {
      CompletableFuture<Boolean> installed = new CompletableFuture<>();
      NetServer server = nio.createNetServer(new NetServerOptions().setHost("127.0.0.1"));
      server.connectHandler(
          socket ->
              installed.complete(
                  QuickAcks.install(
                          ((NetSocketInternal) socket).channelHandlerContext().pipeline(), HOLD)
                      != null));
      int port = server.listen(0).await().actualPort();
      try (Socket client = new Socket("127.0.0.1", port)) {
        assertEquals(false, installed.get(5, TimeUnit.SECONDS));
      }
    } finally {
      nio.close().await();
    }
  }
}
