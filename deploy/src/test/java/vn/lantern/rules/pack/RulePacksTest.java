package vn.lantern.rules.pack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static vn.lantern.deploy.testing.TestNode.publish;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import vn.lantern.deploy.testing.TestNode;
import vn.lantern.testing.InfluxDbExtension;
import vn.lantern.testing.TestInflux;

/** The shipped rule packs are seeded once, are ordinary editable rules, and work. */
@ExtendWith(InfluxDbExtension.class)
class RulePacksTest {

  private static JsonArray rules(TestNode node, String zone) throws Exception {
    return node.http("GET", "/api/v1/rules?zone=" + zone, null, node.admin())
        .json()
        .getJsonArray("items");
  }

  private static JsonObject named(JsonArray rules, String prefix) {
    for (int i = 0; i < rules.size(); i++) {
      if (rules.getJsonObject(i).getString("name").startsWith(prefix)) {
        return rules.getJsonObject(i);
      }
    }
    throw new AssertionError("no rule named " + prefix + "… in " + rules.encodePrettily());
  }

  private static JsonObject level(JsonObject rule, int index) {
    return rule.getJsonObject("condition").getJsonArray("levels").getJsonObject(index);
  }

  /** Every shipped comparison holds for a while and clears with hysteresis, so none flaps. */
  @Test
  void shippedComparisonsHaveAHoldAndAClearLevel(@TempDir Path dataDir, TestInflux influx)
      throws Exception {
    try (TestNode node =
        TestNode.builder(dataDir, influx).set("rules.seedRulePacks", true).start()) {
      JsonArray all =
          node.http("GET", "/api/v1/rules", null, node.admin()).json().getJsonArray("items");
      int comparisons = 0;
      for (int i = 0; i < all.size(); i++) {
        JsonObject condition = all.getJsonObject(i).getJsonObject("condition");
        JsonArray leaves =
            condition.containsKey("conditions")
                ? condition.getJsonArray("conditions")
                : new JsonArray().add(condition);
        for (int j = 0; j < leaves.size(); j++) {
          JsonObject leaf = leaves.getJsonObject(j);
          if (leaf.getString("type").equals("absence")) {
            continue;
          }
          comparisons++;
          String name = all.getJsonObject(i).getString("name");
          assertTrue(!leaf.getString("for", "0s").equals("0s"), name + " has no hold");
          if (leaf.getString("type").equals("levels")) {
            assertTrue(leaf.getDouble("hysteresis") > 0, name + " has no hysteresis");
          } else {
            assertTrue(leaf.containsKey("clear"), name + " has no clear level");
          }
        }
      }
      assertTrue(comparisons > 20, "packs seeded: " + comparisons);
    }
  }

  @Test
  void floodAlarmsAreSeededOnceAndFire(@TempDir Path dataDir, TestInflux influx) throws Exception {
    int seeded;
    try (TestNode node =
        TestNode.builder(dataDir, influx).set("rules.seedRulePacks", true).start()) {
      JsonArray hoiAn = rules(node, "hoi-an");
      JsonObject hoiAnLevels = named(hoiAn, "Hội An (Thu Bồn) flood alarm levels");
      assertEquals(1.5, level(hoiAnLevels, 1).getDouble("value"));
      assertEquals("BĐ2", level(hoiAnLevels, 1).getString("name"));
      JsonObject cauLau = named(rules(node, "dien-ban"), "Cầu Lâu (Thu Bồn) flood alarm levels");
      assertEquals(4.0, level(cauLau, 2).getDouble("value"));
      JsonObject tamKy = named(rules(node, "tam-ky"), "Tam Kỳ (Tam Kỳ) flood alarm levels");
      assertEquals(1.7, level(tamKy, 0).getDouble("value"));
      assertEquals(
          "15m",
          named(hoiAn, "water_level device offline").getJsonObject("condition").getString("for"),
          "a river gauge is missed within 15 minutes");
      JsonObject qcvn =
          named(rules(node, "kcn-dien-nam-dien-ngoc"), "Wastewater above QCVN 40 column B");
      assertTrue(qcvn.getBoolean("enabled"));
      seeded =
          node.http("GET", "/api/v1/rules", null, node.admin()).json().getJsonArray("items").size();

      // A zone manager's edit of a shipped rule sticks: raise BĐ2 to 1.6 m.
      level(hoiAnLevels, 1).put("value", 1.6);
      assertEquals(
          200,
          node.http(
                  "PUT", "/api/v1/rules/" + hoiAnLevels.getString("id"), hoiAnLevels, node.admin())
              .status());

      node.device("hoian-wl-01", "water_level", "hoi-an", "Hoi An station");
      MqttClient mqtt = node.mqtt("hoian-wl-01");
      // Levels hold 5 minutes of data time: a reading 6 minutes ago and one now, both above.
      long now = System.currentTimeMillis();
      publish(mqtt, "level", 1.55, now - 6 * 60_000);
      publish(mqtt, "level", 1.55, now);
      TestNode.awaitTrue(
          "BĐ1 fires",
          Duration.ofSeconds(10),
          () -> {
            try {
              return node.alerts("?device=hoian-wl-01&state=firing").size() == 1;
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
          });
      Thread.sleep(600);
      JsonArray firing = node.alerts("?device=hoian-wl-01&state=firing");
      assertEquals(1, firing.size(), "1.55 m is above BĐ1 only after the edit: one alert");
      assertEquals("info", firing.getJsonObject(0).getString("severity"));
      mqtt.disconnect();
    }
    try (TestNode node =
        TestNode.builder(dataDir, influx).set("rules.seedRulePacks", true).start()) {
      assertEquals(
          seeded,
          node.http("GET", "/api/v1/rules", null, node.admin()).json().getJsonArray("items").size(),
          "not seeded twice");
      assertEquals(
          1.6,
          level(named(rules(node, "hoi-an"), "Hội An (Thu Bồn) flood alarm levels"), 1)
              .getDouble("value"));
    }
  }
}
