package vn.lantern.ingest.mqtt;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.mqtt.MqttEndpoint;
import java.lang.reflect.Field;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * <p>Vert.x MQTT does not expose an endpoint's socket, so it is read from the endpoint's private
 * field {@value #SOCKET_FIELD}. With a Vert.x version that lacks it, flushing stays as it was
 * (logged once) and {@code AckFlushingTest} fails, so an upgrade cannot lose this unnoticed.
 */
final class AckFlushing {
  private static final Logger LOG = LoggerFactory.getLogger(AckFlushing.class);
  private static final String SOCKET_FIELD = "conn";
  private static final String HANDLER_NAME = "lantern-ack-flushing";
  private static final Field SOCKET = socketField();

  private AckFlushing() {}

  /**
   * Installs flush consolidation on the endpoint's connection. Call on its event loop.
   *
   * @return whether it is installed (false when this Vert.x version hides the socket elsewhere)
   */
  static boolean install(MqttEndpoint endpoint) {
    if (SOCKET == null || !SOCKET.getDeclaringClass().isInstance(endpoint)) {
      return false;
    }
    ChannelHandlerContext vertxHandler;
    try {
      vertxHandler = ((NetSocketInternal) SOCKET.get(endpoint)).channelHandlerContext();
    } catch (IllegalAccessException | ClassCastException e) {
      return false;
    }
    ChannelPipeline pipeline = vertxHandler.pipeline();
    if (pipeline.get(HANDLER_NAME) == null && !vertxHandler.isRemoved()) {
      pipeline.addBefore(
          vertxHandler.name(),
          HANDLER_NAME,
          new FlushConsolidationHandler(
              FlushConsolidationHandler.DEFAULT_EXPLICIT_FLUSH_AFTER_FLUSHES, true));
    }
    // The same connections need their publishes acknowledged at the TCP level without delay.
    QuickAcks.install(pipeline);
    return pipeline.get(HANDLER_NAME) != null;
  }

  private static Field socketField() {
    try {
      Field field =
          Class.forName("io.vertx.mqtt.impl.MqttEndpointImpl").getDeclaredField(SOCKET_FIELD);
      if (!NetSocketInternal.class.isAssignableFrom(field.getType())) {
        throw new NoSuchFieldException(SOCKET_FIELD + " is a " + field.getType().getName());
      }
      field.setAccessible(true);
      return field;
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.warn(
          "event=mqtt_ack_flushing_unavailable reason=\"{}\" effect=\"one flush per PUBACK\"",
          e.toString());
      return null;
    }
  }
}
