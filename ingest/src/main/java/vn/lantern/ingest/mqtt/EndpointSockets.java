package vn.lantern.ingest.mqtt;

import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.mqtt.MqttEndpoint;
import java.lang.reflect.Field;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The socket under a Vert.x MQTT endpoint, which Vert.x MQTT does not expose: it is read from the
 * endpoint's private field {@value #SOCKET_FIELD}. With a Vert.x version that lacks it, this logs
 * once and answers null, and the tuning that needs it ({@link AckFlushing}, {@link QuickAcks}) is
 * left out; their tests fail, so an upgrade cannot lose it unnoticed.
 */
final class EndpointSockets {
  private static final Logger LOG = LoggerFactory.getLogger(EndpointSockets.class);
  private static final String SOCKET_FIELD = "conn";
  private static final Field SOCKET = socketField();

  private EndpointSockets() {}

  /** The endpoint's socket, or null when this Vert.x version keeps it elsewhere. */
  static NetSocketInternal of(MqttEndpoint endpoint) {
    if (SOCKET == null || !SOCKET.getDeclaringClass().isInstance(endpoint)) {
      return null;
    }
    try {
      return (NetSocketInternal) SOCKET.get(endpoint);
    } catch (IllegalAccessException | ClassCastException e) {
      return null;
    }
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
          "event=mqtt_endpoint_socket_unavailable reason=\"{}\""
              + " effect=\"one flush per PUBACK, delayed TCP acknowledgements\"",
          e.toString());
      return null;
    }
  }
}
