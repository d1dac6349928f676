package vn.lantern.ingest.mqtt;

import io.netty.channel.ChannelException;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;

/**
 * Acknowledges a publisher's TCP segments as soon as they are read, so that a client which leaves
 * Nagle's algorithm on sends its next publishes at once instead of one InfluxDB write later.
 *
 * <p>Such a client (mosquitto_pub by default) sends one segment, then holds every further small
 * write in its kernel until that segment is acknowledged. Linux delays the acknowledgement on a
 * connection that answers with data, so it left with the next PUBACKs, after the InfluxDB write:
 * with 8 × {@code mosquitto_pub -l}, {@code ss} showed up to 19 of each client's 20 in-flight
 * publishes waiting unsent in its kernel (docs/benchmarks.md). {@code TCP_QUICKACK} makes Linux
 * acknowledge at once, but the kernel drops back to delayed acknowledgements by itself, so it is
 * set again after every read: one system call per read, not per message.
 *
 * <p>Only Netty's native epoll transport offers the option; on another transport nothing is
 * installed.
 */
final class QuickAcks extends ChannelInboundHandlerAdapter {
  static final String HANDLER_NAME = "lantern-quick-acks";
  private static final String OPTION_NAME =
      "io.netty.channel.epoll.EpollChannelOption#TCP_QUICKACK";

  private final ChannelOption<Boolean> quickAck;

  private QuickAcks(ChannelOption<Boolean> quickAck) {
    this.quickAck = quickAck;
  }

  /**
   * Installs the handler at the front of the connection's pipeline. Call on its event loop.
   *
   * @return whether it is installed (false when the transport has no TCP_QUICKACK)
   */
  static boolean install(ChannelPipeline pipeline) {
    if (pipeline.get(HANDLER_NAME) != null) {
      return true;
    }
    if (!ChannelOption.exists(OPTION_NAME)) {
      return false;
    }
    ChannelOption<Boolean> quickAck = ChannelOption.valueOf(OPTION_NAME);
    if (!pipeline.channel().config().setOption(quickAck, true)) {
      return false;
    }
    pipeline.addFirst(HANDLER_NAME, new QuickAcks(quickAck));
    return true;
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    if (ctx.channel().isActive()) {
      try {
        ctx.channel().config().setOption(quickAck, true);
      } catch (ChannelException e) {
        // The socket is closing; there is nothing left to acknowledge.
      }
    }
    ctx.fireChannelReadComplete();
  }
}
