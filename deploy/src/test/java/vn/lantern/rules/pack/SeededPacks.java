package vn.lantern.rules.pack;

import static vn.lantern.deploy.testing.TestNode.publish;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Predicate;
import org.eclipse.paho.client.mqttv3.MqttClient;
import vn.lantern.deploy.testing.TestNode;
import vn.lantern.testing.TestInflux;

/**
 * What the tests of a shipped rule pack share: a node that seeds the packs, the seeded rule found
 * by name, a device's readings published over MQTT at given times, and the wait for its alert.
 */
final class SeededPacks {
  private SeededPacks() {}

  /** Starts a node that seeds the shipped rule packs. */
  static TestNode start(Path dataDir, TestInflux influx) throws Exception {
    return TestNode.builder(dataDir, influx).set("rules.seedRulePacks", true).start();
  }

  /** The first rule of {@code zone} whose name matches; fails listing the zone's rules if none. */
  static JsonObject rule(TestNode node, String zone, Predicate<String> name) {
    JsonArray rules =
        node.http("GET", "/api/v1/rules?zone=" + zone, null, node.admin())
            .json()
            .getJsonArray("items");
    return rules.stream()
        .map(JsonObject.class::cast)
        .filter(r -> name.test(r.getString("name")))
        .findFirst()
        .orElseThrow(() -> new AssertionError(rules.encodePrettily()));
  }

  /** Publishes {@code value} of {@code metric} from {@code device} at each of {@code times}. */
  static void publishAt(TestNode node, String device, String metric, double value, long... times)
      throws Exception {
    MqttClient mqtt = node.mqtt(device);
    try {
      for (long time : times) {
        publish(mqtt, metric, value, time);
      }
    } finally {
      mqtt.disconnect();
      mqtt.close();
    }
  }

  /** Waits up to 10 s until {@code device} has an alert of the rule {@code ruleId}. */
  static void awaitAlert(TestNode node, String device, String ruleId, String what)
      throws Exception {
    TestNode.awaitTrue(
        what,
        Duration.ofSeconds(10),
        () ->
            node.alerts("?device=" + device).stream()
                .anyMatch(a -> ((JsonObject) a).getString("ruleId").equals(ruleId)));
  }
}
