package vn.lantern.ingest.mqtt;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.mqtt.MqttEndpoint;

/**
 * Lets a connection's acknowledgements leave with one flush per event-loop task instead of one
 * each.
 *
 * <p>Vert.x flushes every write made outside a read at once, so completing an InfluxDB write that
 * held 20 of a connection's publishes cost 20 {@code writeAndFlush} calls, 8 % of the node's CPU
 * with 8 publishers (docs/benchmarks.md). Netty's {@link FlushConsolidationHandler}, placed just in
 * front of Vert.x's handler, merges the flushes of one task into one sent right after it. Writes
 * keep their order; only their flushes are merged.
 *
 * <p>Vert.x MQTT does not expose an endpoint's socket, so it is reached through {@link
 * VertxMqttInternals}. With a Vert.x version that hides it, flushing stays as it was (logged once)
 * and {@code AckFlushingTest} fails, so an upgrade cannot lose this unnoticed.
 */
final class AckFlushing {
  private static final String HANDLER_NAME = "lantern-ack-flushing";

  private AckFlushing() {}

  /**
   * Installs flush consolidation on the endpoint's connection. Call on its event loop.
   *
   * @return whether it is installed (false when this Vert.x version hides the socket elsewhere)
   */
  static boolean install(MqttEndpoint endpoint) {
    NetSocketInternal connection = VertxMqttInternals.connection(endpoint);
    if (connection == null) {
      return false;
    }
    ChannelHandlerContext vertxHandler = connection.channelHandlerContext();
    ChannelPipeline pipeline = vertxHandler.pipeline();
    if (pipeline.get(HANDLER_NAME) == null && !vertxHandler.isRemoved()) {
      pipeline.addBefore(
          vertxHandler.name(),
          HANDLER_NAME,
          new FlushConsolidationHandler(
              FlushConsolidationHandler.DEFAULT_EXPLICIT_FLUSH_AFTER_FLUSHES, true));
    }
    return pipeline.get(HANDLER_NAME) != null;
  }
}
