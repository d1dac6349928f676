package vn.lantern.ingest.mqtt;

import io.netty.channel.ChannelException;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.mqtt.MqttEndpoint;
import java.time.Duration;

/**
 * Acknowledges the TCP segments of a publisher that holds its publishes back as soon as they are
 * read, so that it sends its next publishes at once instead of one InfluxDB write later.
 *
 * <p>A client that leaves Nagle's algorithm on (mosquitto_pub by default) sends one segment, then
 * holds every further small write in its kernel until that segment is acknowledged. Linux delays
 * the acknowledgement on a connection that answers with data, so it left with the next PUBACKs,
 * after the InfluxDB write: with 8 × {@code mosquitto_pub -l}, {@code ss} showed up to 19 of each
 * client's 20 in-flight publishes waiting unsent in its kernel (docs/benchmarks.md). {@code
 * TCP_QUICKACK} makes Linux acknowledge at once, but the kernel drops back to delayed
 * acknowledgements by itself, so it must be set again after every read.
 *
 * <p>That costs a system call and a segment of its own per read, which a client with Nagle off (and
 * a thousand of them) gains nothing from, so it is done only for a connection seen holding
 * publishes back: a read that follows our PUBACKs and brings at least two publishes more than those
 * PUBACKs allowed. A client limited by its window sends at most what they freed; one that had room
 * and sent nothing was waiting for something else, the acknowledgement of its segment. It costs two
 * counters per publish and read. The re-arming then lasts {@link #DEFAULT_HOLD} and a new sighting
 * renews it: a client that keeps Nagle on loses at most one InfluxDB write of waiting per second,
 * and one seen by coincidence (publishes that queued up in a busy node) goes back to delayed
 * acknowledgements.
 *
 * <p>Only Netty's native epoll transport offers the option; on another transport nothing is
 * installed.
 */
final class QuickAcks extends ChannelInboundHandlerAdapter {
  static final String HANDLER_NAME = "lantern-quick-acks";
  static final Duration DEFAULT_HOLD = Duration.ofSeconds(1);
  private static final String OPTION_NAME =
      "io.netty.channel.epoll.EpollChannelOption#TCP_QUICKACK";
  // A window-limited client can send one more than freed when a read straddles two flushes'
  // answers; two more is a client that had room it did not use.
  private static final int HELD_BACK_MARGIN = 2;

  private final ChannelOption<Boolean> quickAck;
  private final long holdNanos;
  private int acksSinceRead;
  private int freedForRead;
  private int publishesInRead;
  private long quickUntil;

  private QuickAcks(ChannelOption<Boolean> quickAck, Duration hold) {
    this.quickAck = quickAck;
    this.holdNanos = hold.toNanos();
  }

  /**
   * Installs the handler at the front of the endpoint's pipeline. Call on its event loop.
   *
   * @return the handler, to be told of the connection's publishes and PUBACKs; null when the
   *     transport has no TCP_QUICKACK or this Vert.x version hides the socket
   */
  static QuickAcks install(MqttEndpoint endpoint) {
    NetSocketInternal socket = VertxMqttInternals.connection(endpoint);
    return socket == null ? null : install(socket.channelHandlerContext().pipeline(), DEFAULT_HOLD);
  }

  /** Installs the handler on {@code pipeline}, re-arming for {@code hold} after each sighting. */
  static QuickAcks install(ChannelPipeline pipeline, Duration hold) {
    if (pipeline.get(HANDLER_NAME) instanceof QuickAcks installed) {
      return installed;
    }
    if (!ChannelOption.exists(OPTION_NAME)) {
      return null;
    }
    ChannelOption<Boolean> quickAck = ChannelOption.valueOf(OPTION_NAME);
    if (!pipeline.channel().config().setOption(quickAck, true)) {
      return null;
    }
    QuickAcks handler = new QuickAcks(quickAck, hold);
    pipeline.addFirst(HANDLER_NAME, handler);
    return handler;
  }

  /** A publish was decoded from the current read. Call on the event loop. */
  void publishRead() {
    if (publishesInRead++ == 0) {
      freedForRead = acksSinceRead;
      acksSinceRead = 0;
    }
  }

  /** A PUBACK (or PUBREC) was written. Call on the event loop. */
  void acknowledged() {
    acksSinceRead++;
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    if (freedForRead > 0 && publishesInRead >= freedForRead + HELD_BACK_MARGIN) {
      quickUntil = System.nanoTime() + holdNanos;
    }
    publishesInRead = 0;
    freedForRead = 0;
    if (quickUntil != 0) {
      if (System.nanoTime() - quickUntil < 0) {
        rearm(ctx);
      } else {
        quickUntil = 0;
      }
    }
    ctx.fireChannelReadComplete();
  }

  private void rearm(ChannelHandlerContext ctx) {
    if (ctx.channel().isActive()) {
      try {
        ctx.channel().config().setOption(quickAck, true);
      } catch (ChannelException e) {
        // The socket is closing; there is nothing left to acknowledge.
      }
    }
  }
}
