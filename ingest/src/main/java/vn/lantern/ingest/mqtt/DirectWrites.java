package vn.lantern.ingest.mqtt;

import io.vertx.core.Context;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.mqtt.MqttEndpoint;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets an MQTT connection write straight to its channel instead of through Vert.x's outbound
 * message queue, so an idle connection does not hold that queue.
 *
 * <p>Vert.x gives every connection a multi-producer queue so that any thread may write to it; the
 * queue's first 1,024-slot chunk is allocated with the connection and, at 4.7 KiB, is more than
 * half of what an idle MQTT connection holds (docs/benchmarks.md). Vert.x's own connections in
 * strict thread mode (HTTP/1.1) use a queue-less variant that writes to the channel at once, which
 * is right only when every write happens on the connection's event loop, and no option of a {@code
 * NetServer} or of Vert.x MQTT selects it. {@link #install} swaps it in when the connection is
 * made. The endpoint then writes only on the event loop: CONNACK while CONNECT is read or when its
 * credential check completes, SUBACK and PINGRESP while reading, and acknowledgements when the
 * store completes a write; each of these goes through {@link #onEventLoop}, which hops there when
 * called from elsewhere. Vert.x asserts it in every direct write ({@code -ea}, as in the tests).
 *
 * <p>Neither the connection nor its queue is public, so they are reached through {@link
 * VertxMqttInternals} and private members ({@value #QUEUE_FIELD}, {@value #DIRECT_QUEUE}). With a
 * Vert.x version that lacks them, connections keep their queue (logged once) and {@code
 * DirectWritesTest} fails, so an upgrade cannot lose this unnoticed.
 */
final class DirectWrites {
  private static final Logger LOG = LoggerFactory.getLogger(DirectWrites.class);
  private static final String CONNECTION_CLASS = "io.vertx.core.net.impl.VertxConnection";
  private static final String QUEUE_FIELD = "outboundMessageQueue";
  private static final String DIRECT_QUEUE = "VertxConnection$DirectOutboundMessageQueue";
  private static final Internals INTERNALS = Internals.find();

  private DirectWrites() {}

  /**
   * Replaces the endpoint's outbound queue by direct writes. Call on its event loop when the
   * endpoint is handed over, before anything is written to it.
   *
   * @return whether its writes now go straight to the channel (false when this Vert.x version hides
   *     its connection or queue elsewhere)
   */
  static boolean install(MqttEndpoint endpoint) {
    NetSocketInternal connection = VertxMqttInternals.connection(endpoint);
    if (INTERNALS == null || connection == null) {
      return false;
    }
    try {
      if (!INTERNALS.queue.getDeclaringClass().isInstance(connection)
          || !connection.channelHandlerContext().executor().inEventLoop()) {
        return false;
      }
      Object queue = INTERNALS.queue.get(connection);
      if (!INTERNALS.directQueue.getDeclaringClass().isInstance(queue)) {
        INTERNALS.queue.set(connection, INTERNALS.directQueue.newInstance(connection));
      }
      return true;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return false;
    }
  }

  /**
   * Runs {@code task} at once when called on {@code context}'s event loop, otherwise as a task on
   * it: a connection without an outbound queue must be written to from there only.
   */
  static void onEventLoop(Context context, Runnable task) {
    if (((ContextInternal) context).nettyEventLoop().inEventLoop()) {
      task.run();
    } else {
      context.runOnContext(v -> task.run());
    }
  }

  private record Internals(Field queue, Constructor<?> directQueue) {
    static Internals find() {
      try {
        Class<?> connection = Class.forName(CONNECTION_CLASS);
        Field queue = connection.getDeclaredField(QUEUE_FIELD);
        Constructor<?> directQueue =
            Class.forName(connection.getPackageName() + "." + DIRECT_QUEUE)
                .getDeclaredConstructor(connection);
        if (!queue.getType().isAssignableFrom(directQueue.getDeclaringClass())) {
          throw new NoSuchFieldException(QUEUE_FIELD + " cannot hold a " + DIRECT_QUEUE);
        }
        queue.setAccessible(true);
        directQueue.setAccessible(true);
        return new Internals(queue, directQueue);
      } catch (ReflectiveOperationException | RuntimeException e) {
        LOG.warn(
            "event=mqtt_direct_writes_unavailable reason=\"{}\" effect=\"{}\"",
            e.toString(),
            "every connection keeps its 4.7 KiB outbound queue");
        return null;
      }
    }
  }
}
