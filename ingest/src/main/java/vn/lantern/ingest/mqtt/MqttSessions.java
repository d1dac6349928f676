package vn.lantern.ingest.mqtt;

import io.vertx.core.Context;
import io.vertx.mqtt.MqttEndpoint;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The open MQTT connections by authenticated device or gateway id, so that revoking a device's
 * credentials can close the connections they opened.
 */
final class MqttSessions {
  private record Open(MqttEndpoint client, Context context) {}

  private final Map<String, Set<Open>> byDevice = new ConcurrentHashMap<>();

  /** Records an accepted connection, on its event loop. */
  void add(String deviceId, MqttEndpoint client, Context context) {
    byDevice
        .computeIfAbsent(deviceId, id -> ConcurrentHashMap.newKeySet())
        .add(new Open(client, context));
  }

  /** Forgets a closed connection. */
  void remove(String deviceId, MqttEndpoint client) {
    byDevice.computeIfPresent(
        deviceId,
        (id, open) -> {
          open.removeIf(o -> o.client() == client);
          return open.isEmpty() ? null : open;
        });
  }

  /**
   * Closes every connection of {@code deviceId}, each on its own event loop.
   *
   * @return how many were open
   */
  int close(String deviceId) {
    Set<Open> open = byDevice.remove(deviceId);
    if (open == null) {
      return 0;
    }
    for (Open o : open) {
      o.context().runOnContext(v -> o.client().close());
    }
    return open.size();
  }
}
