package vn.lantern.ingest.mqtt;

import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.mqtt.MqttEndpoint;
import java.lang.reflect.Field;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reaches the connection behind a Vert.x MQTT endpoint, which Vert.x MQTT does not expose: it is
 * the endpoint's private field {@value #CONNECTION_FIELD}. {@link AckFlushing}, {@link
 * DirectWrites} and {@link QuickAcks} need it; with a Vert.x version that lacks it, they stay off
 * (logged once) and their tests fail, so an upgrade cannot lose them unnoticed.
 */
final class VertxMqttInternals {
  private static final Logger LOG = LoggerFactory.getLogger(VertxMqttInternals.class);
  private static final String ENDPOINT_CLASS = "io.vertx.mqtt.impl.MqttEndpointImpl";
  private static final String CONNECTION_FIELD = "conn";
  private static final Field CONNECTION = connectionField();

  private VertxMqttInternals() {}

  /**
   * The endpoint's connection, or {@code null} when this Vert.x version keeps it elsewhere or the
   * endpoint is not Vert.x's own.
   */
  static NetSocketInternal connection(MqttEndpoint endpoint) {
    if (CONNECTION == null || !CONNECTION.getDeclaringClass().isInstance(endpoint)) {
      return null;
    }
    try {
      return (NetSocketInternal) CONNECTION.get(endpoint);
    } catch (IllegalAccessException | ClassCastException e) {
      return null;
    }
  }

  private static Field connectionField() {
    try {
      Field field = Class.forName(ENDPOINT_CLASS).getDeclaredField(CONNECTION_FIELD);
      if (!NetSocketInternal.class.isAssignableFrom(field.getType())) {
        throw new NoSuchFieldException(CONNECTION_FIELD + " is a " + field.getType().getName());
      }
      field.setAccessible(true);
      return field;
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.warn(
          "event=mqtt_connection_unreachable reason=\"{}\" effect=\"{}\"",
          e.toString(),
          "one flush per PUBACK, delayed TCP acknowledgements for publishers that hold publishes"
              + " back, and every connection keeps its 4.7 KiB outbound queue");
      return null;
    }
  }
}
