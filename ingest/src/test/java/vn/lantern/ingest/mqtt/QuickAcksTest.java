package vn.lantern.ingest.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * After every read, the connection is back in quick-acknowledgement mode, even though it answers
 * with data (which puts Linux back to delayed acknowledgements).
 */
class QuickAcksTest {
  private static final int ROUNDS = 5;
  private static final ChannelOption<Boolean> QUICK_ACK = EpollChannelOption.TCP_QUICKACK;

  private final Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));

  @AfterEach
  void close() {
    vertx.close().await();
  }

  @Test
  void everyReadLeavesTheSocketAcknowledgingAtOnce() throws Exception {
    assertTrue(
        vertx.isNativeTransportEnabled(),
        "Netty's epoll transport is not available: " + vertx.unavailableNativeTransportCause());
    List<Boolean> quickAfterRead = new CopyOnWriteArrayList<>();
    NetServer server = vertx.createNetServer(new NetServerOptions().setHost("127.0.0.1"));
    server.connectHandler(
        socket -> {
          ChannelPipeline pipeline =
              ((NetSocketInternal) socket).channelHandlerContext().pipeline();
          assertTrue(QuickAcks.install(pipeline));
          pipeline.addAfter(
              QuickAcks.HANDLER_NAME,
              "probe",
              new ChannelInboundHandlerAdapter() {
                @Override
                public void channelReadComplete(ChannelHandlerContext ctx) {
                  quickAfterRead.add(ctx.channel().config().getOption(QUICK_ACK));
                  ctx.fireChannelReadComplete();
                }
              });
          // Answering with data at once is what turns delayed acknowledgements back on.
          socket.handler(socket::write);
        });
    int port = server.listen(0).await().actualPort();

    try (Socket client = new Socket("127.0.0.1", port)) {
      OutputStream out = client.getOutputStream();
      InputStream in = client.getInputStream();
      for (int round = 0; round < ROUNDS; round++) {
        out.write(round);
        out.flush();
        assertEquals(round, in.read(), "echo of round " + round);
      }
    }

    assertTrue(quickAfterRead.size() >= ROUNDS, "reads seen: " + quickAfterRead);
    assertTrue(quickAfterRead.stream().allMatch(Boolean::booleanValue), quickAfterRead.toString());
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
                      ((NetSocketInternal) socket).channelHandlerContext().pipeline())));
      int port = server.listen(0).await().actualPort();
      try (Socket client = new Socket("127.0.0.1", port)) {
        assertEquals(false, installed.get(5, TimeUnit.SECONDS));
      }
    } finally {
      nio.close().await();
    }
  }
}
