package vn.lantern.ingest.mqtt;

import io.vertx.core.Context;
import io.vertx.mqtt.MqttEndpoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The open MQTT connections by authenticated device or gateway id, so that revoking a device's
 * credentials can close the connections they opened.
 */
final class MqttSessions {
  private record Open(MqttEndpoint client, Context context) {}

  // A device holds one connection, rarely a few while an old one times out: an immutable list,
  // replaced on change, costs an idle connection 24 bytes where a concurrent set costs 200.
  private final Map<String, List<Open>> byDevice = new ConcurrentHashMap<>();

  /** Records an accepted connection, on its event loop. */
  void add(String deviceId, MqttEndpoint client, Context context) {
    byDevice.merge(deviceId, List.of(new Open(client, context)), MqttSessions::concat);
  }

  /** Forgets a closed connection. */
  void remove(String deviceId, MqttEndpoint client) {
    byDevice.computeIfPresent(
        deviceId,
        (id, open) -> {
          List<Open> rest = open.stream().filter(o -> o.client() != client).toList();
          return rest.isEmpty() ? null : rest;
        });
  }

  /**
   * Closes every connection of {@code deviceId}, each on its own event loop.
   *
   * @return how many were open
   */
  int close(String deviceId) {
    List<Open> open = byDevice.remove(deviceId);
    if (open == null) {
      return 0;
    }
    for (Open o : open) {
      o.context().runOnContext(v -> o.client().close());
    }
    return open.size();
  }

  private static List<Open> concat(List<Open> open, List<Open> added) {
    List<Open> all = new ArrayList<>(open);
    all.addAll(added);
    return List.copyOf(all);
  }
}
