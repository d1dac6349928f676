package vn.lantern.rules.pack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static vn.lantern.deploy.testing.TestNode.publish;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import vn.lantern.common.store.DatabaseSettings;
import vn.lantern.deploy.testing.TestNode;
import vn.lantern.rules.db.RulesDatabase;
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

  /**
   * The leaf conditions under {@code any}/{@code all}, however deep; an {@code upstream} condition
   * is its levels and its {@code rise}.
   */
  private static List<JsonObject> leaves(JsonObject condition) {
    List<JsonObject> leaves = new ArrayList<>();
    JsonArray children = condition.getJsonArray("conditions");
    if (condition.getString("type").equals("upstream")) {
      leaves.add(condition);
      leaves.add(condition.getJsonObject("rise"));
    } else if (children == null) {
      leaves.add(condition);
    } else {
      for (int i = 0; i < children.size(); i++) {
        leaves.addAll(leaves(children.getJsonObject(i)));
      }
    }
    return leaves;
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
        String name = all.getJsonObject(i).getString("name");
        for (JsonObject leaf : leaves(all.getJsonObject(i).getJsonObject("condition"))) {
          String type = leaf.getString("type");
          if (type.equals("absence") || type.equals("period")) {
            continue;
          }
          comparisons++;
          assertTrue(!leaf.getString("for", "0s").equals("0s"), name + " has no hold");
          if (List.of("levels", "aqi", "zone_aqi", "upstream").contains(type)) {
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

  /**
   * Every seeded rule names its pack, version and legal basis; the API lists the packs; a pack in
   * the data directory replaces the bundled one, so the station's levels change without a release.
   */
  @Test
  void packsAreListedWithCitationsAndReplaceableFromTheDataDirectory(
      @TempDir Path dataDir, TestInflux influx) throws Exception {
    JsonObject flood =
        new JsonObject(
            new String(
                RulePacksTest.class
                    .getResourceAsStream("/regulations/flood-alarm-levels.json")
                    .readAllBytes(),
                java.nio.charset.StandardCharsets.UTF_8));
    int bundledVersion = flood.getInteger("version");
    flood.put("version", bundledVersion + 1);
    flood.getJsonArray("stations").getJsonObject(0).getJsonArray("levels").set(2, 2.1);
    Path packs = Files.createDirectories(dataDir.resolve("regulations"));
    Files.writeString(packs.resolve("flood-alarm-levels.json"), flood.encode());

    try (TestNode node =
        TestNode.builder(dataDir, influx)
            .set("rules.notifications.maxAttempts", 2)
            .set("rules.seedRulePacks", true)
            .start()) {
      JsonArray items =
          node.http("GET", "/api/v1/regulations", null, node.admin()).json().getJsonArray("items");
      JsonObject listed = null;
      for (int i = 0; i < items.size(); i++) {
        JsonObject pack = items.getJsonObject(i);
        assertTrue(!pack.getString("citation").isBlank(), pack.getString("id"));
        assertTrue(pack.getJsonObject("name").containsKey("vi"), pack.getString("id"));
        if (pack.getString("id").equals("flood-alarm-levels")) {
          listed = pack;
        }
      }
      assertEquals(bundledVersion + 1, listed.getInteger("version"));
      assertEquals("data directory", listed.getString("origin"));
      assertEquals(
          "2020-03-20", listed.getString("effectiveFrom"), "Decision 05/2020/QĐ-TTg in force");
      assertEquals(
          404, node.http("GET", "/api/v1/regulations/no-such-pack", null, node.admin()).status());

      JsonObject hoiAn = named(rules(node, "hoi-an"), "Hội An (Thu Bồn) flood alarm levels");
      assertEquals(2.1, level(hoiAn, 2).getDouble("value"), "the station's replaced BĐ3");
      JsonObject source = hoiAn.getJsonObject("source");
      assertEquals("flood-alarm-levels", source.getString("pack"));
      assertEquals(bundledVersion + 1, source.getInteger("version"));
      assertTrue(source.getString("citation").contains("05/2020/QĐ-TTg"), source.encode());
      JsonArray all =
          node.http("GET", "/api/v1/rules", null, node.admin()).json().getJsonArray("items");
      for (int i = 0; i < all.size(); i++) {
        assertTrue(
            all.getJsonObject(i).containsKey("source"),
            all.getJsonObject(i).getString("name") + " names its pack");
      }

      // An edit that leaves the source out keeps it: the rule still comes from its pack.
      level(hoiAn, 1).put("value", 1.6);
      hoiAn.remove("source");
      JsonObject saved =
          node.http("PUT", "/api/v1/rules/" + hoiAn.getString("id"), hoiAn, node.admin()).json();
      assertEquals("flood-alarm-levels", saved.getJsonObject("source").getString("pack"));
    }
  }

  private static JsonObject bundledPack(String id) throws Exception {
    return resource("/regulations/" + id + ".json");
  }

  private static JsonObject resource(String path) throws Exception {
    return new JsonObject(
        new String(
            RulePacksTest.class.getResourceAsStream(path).readAllBytes(),
            java.nio.charset.StandardCharsets.UTF_8));
  }

  private static JsonObject pack(TestNode node, String id) {
    return node.http("GET", "/api/v1/regulations/" + id, null, node.admin()).json();
  }

  /**
   * A new version of a pack re-seeds, on the next start, the rules nobody edited since they were
   * seeded: in place where the new version has a rule of that name in that zone, removed where it
   * has none, added where it is new. A rule an operator edited stays as they left it and is listed
   * as diverged.
   */
  @Test
  void aNewPackVersionReseedsUneditedRulesAndReportsEditedOnes(
      @TempDir Path dataDir, TestInflux influx) throws Exception {
    // First start: vn-aqi at version 3 (the PM2.5 stand-in) from the data directory, power-factor
    // at its bundled version 1.
    Path packs = Files.createDirectories(dataDir.resolve("regulations"));
    Files.writeString(packs.resolve("vn-aqi.json"), resource("/packs/vn-aqi-v3.json").encode());
    String park = "kcn-dien-nam-dien-ngoc";
    String editedPark = "kcn-thuan-yen";
    String pfName = "Power factor below 0.9 (hourly mean)";
    String uneditedId;
    String editedId;
    try (TestNode node =
        TestNode.builder(dataDir, influx).set("rules.seedRulePacks", true).start()) {
      JsonObject stand = named(rules(node, "hoi-an"), "Air quality worse than VN_AQI 100");
      assertEquals(3, stand.getJsonObject("source").getInteger("version"));
      uneditedId = named(rules(node, park), pfName).getString("id");
      JsonObject edited = named(rules(node, editedPark), pfName);
      editedId = edited.getString("id");
      edited.getJsonObject("condition").put("value", 0.85).put("clear", 0.87);
      assertEquals(
          200, node.http("PUT", "/api/v1/rules/" + editedId, edited, node.admin()).status());
    }

    // Second start: vn-aqi at its bundled version (4 brought the computed VN_AQI, 5 the zone-wide
    // rule), power-factor at a version 2 whose limit is 0.88.
    Files.delete(packs.resolve("vn-aqi.json"));
    JsonObject pf = bundledPack("power-factor");
    pf.put("version", 2);
    pf.getJsonArray("rules")
        .getJsonObject(0)
        .getJsonObject("condition")
        .put("value", 0.88)
        .put("clear", 0.9);
    Files.writeString(packs.resolve("power-factor.json"), pf.encode());
    try (TestNode node =
        TestNode.builder(dataDir, influx).set("rules.seedRulePacks", true).start()) {
      JsonArray hoiAn = rules(node, "hoi-an");
      for (int i = 0; i < hoiAn.size(); i++) {
        assertTrue(
            !hoiAn.getJsonObject(i).getString("name").startsWith("Air quality worse than VN_AQI"),
            "the PM2.5 stand-in is gone: " + hoiAn.getJsonObject(i).getString("name"));
      }
      JsonObject aqi = named(hoiAn, "Air quality by VN_AQI bands");
      assertEquals("aqi", aqi.getJsonObject("condition").getString("type"));
      int bundled = bundledPack("vn-aqi").getInteger("version");
      assertEquals(bundled, aqi.getJsonObject("source").getInteger("version"));
      JsonObject zoneAqi = named(hoiAn, "Zone air quality by the worst station's VN_AQI");
      assertEquals("zone_aqi", zoneAqi.getJsonObject("condition").getString("type"), "added");

      JsonObject unedited = named(rules(node, park), pfName);
      assertEquals(uneditedId, unedited.getString("id"), "updated in place");
      assertEquals(0.88, unedited.getJsonObject("condition").getDouble("value"));
      assertEquals(2, unedited.getJsonObject("source").getInteger("version"));

      JsonObject edited = named(rules(node, editedPark), pfName);
      assertEquals(editedId, edited.getString("id"));
      assertEquals(0.85, edited.getJsonObject("condition").getDouble("value"), "the edit stands");
      assertEquals(1, edited.getJsonObject("source").getInteger("version"));
      assertEquals(
          1,
          rules(node, editedPark).stream()
              .filter(r -> ((JsonObject) r).getString("name").equals(pfName))
              .count(),
          "no second power-factor rule beside the edited one");

      JsonArray diverged = pack(node, "power-factor").getJsonArray("divergedRules");
      assertEquals(1, diverged.size(), diverged.encodePrettily());
      assertEquals(editedId, diverged.getJsonObject(0).getString("id"));
      assertTrue(pack(node, "vn-aqi").getJsonArray("divergedRules").isEmpty());
    }

    // A third start with nothing new changes nothing.
    try (TestNode node =
        TestNode.builder(dataDir, influx).set("rules.seedRulePacks", true).start()) {
      assertEquals(uneditedId, named(rules(node, park), pfName).getString("id"));
      assertEquals(
          2, named(rules(node, park), pfName).getJsonObject("source").getInteger("version"));
    }
  }

  /** A node seeded from the single pack file of before keeps its rules and gets only new packs. */
  @Test
  void aNodeSeededBeforePacksBecameDataOnlyGetsTheNewPacks(@TempDir Path dataDir, TestInflux influx)
      throws Exception {
    try (RulesDatabase db = RulesDatabase.open(DatabaseSettings.defaults(), dataDir)) {
      db.update(
          "INSERT INTO setting (name, setting_value) VALUES (?, ?)",
          List.of("rule_pack.default", "2"));
    }
    try (TestNode node =
        TestNode.builder(dataDir, influx)
            .set("rules.notifications.maxAttempts", 2)
            .set("rules.seedRulePacks", true)
            .start()) {
      JsonArray all =
          node.http("GET", "/api/v1/rules", null, node.admin()).json().getJsonArray("items");
      Set<String> packs = new TreeSet<>();
      for (int i = 0; i < all.size(); i++) {
        packs.add(all.getJsonObject(i).getJsonObject("source").getString("pack"));
      }
      assertEquals(
          Set.of(
              "power-factor",
              "qcvn-05-2023-air",
              "qcvn-26-2010-noise",
              "decision-18-2021-disaster-risk"),
          packs);
    }
  }
}
