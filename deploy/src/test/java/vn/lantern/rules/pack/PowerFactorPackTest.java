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

/**
 * The shipped power-factor pack (Circular 15/2014/TT-BCT) on an industrial park's meter: an hourly
 * mean power factor of 0.8 held for 16 minutes raises the seeded warning; the same readings from a
 * meter outside the parks raise nothing, as the pack applies to the parks' meters only.
 */
@ExtendWith(InfluxDbExtension.class)
class PowerFactorPackTest {
  private static final String PARK = "kcn-dien-nam-dien-ngoc";
  private static final String CITY_WARD = "tam-ky";
  private static final String RULE = "Power factor below 0.9 (hourly mean)";

  @Test
  void aParkMeterBelowPointNineRaisesTheSeededWarning(@TempDir Path dataDir, TestInflux influx)
      throws Exception {
    try (TestNode node =
        TestNode.builder(dataDir, influx).set("rules.seedRulePacks", true).start()) {
      JsonArray rules =
          node.http("GET", "/api/v1/rules?zone=" + PARK, null, node.admin())
              .json()
              .getJsonArray("items");
      JsonObject rule =
          rules.stream()
              .map(JsonObject.class::cast)
              .filter(r -> r.getString("name").equals(RULE))
              .findFirst()
              .orElseThrow(() -> new AssertionError(rules.encodePrettily()));
      assertEquals("power-factor", rule.getJsonObject("source").getString("pack"), rule.encode());
      assertEquals("warning", rule.getString("severity"));

      node.device("tk-meter", "energy", CITY_WARD, "UBND");
      node.device("dnd-meter", "energy", PARK, "Trạm biến áp KCN");
      long t = System.currentTimeMillis() - 30 * 60_000;
      for (String device : new String[] {"tk-meter", "dnd-meter"}) {
        MqttClient mqtt = node.mqtt(device);
        try {
          for (int minute = 0; minute <= 16; minute += 4) {
            publish(mqtt, "pf", 0.8, t + minute * 60_000L);
          }
        } finally {
          mqtt.disconnect();
          mqtt.close();
        }
      }
      String ruleId = rule.getString("id");
      TestNode.awaitTrue(
          "the park meter's hourly mean power factor 0.8 held 16 min raises the pack's warning",
          Duration.ofSeconds(10),
          () ->
              node.alerts("?device=dnd-meter").stream()
                  .anyMatch(a -> ((JsonObject) a).getString("ruleId").equals(ruleId)));
      assertTrue(
          node.alerts("?device=tk-meter").isEmpty(),
          "no power-factor rule outside the parks: " + node.alerts("?device=tk-meter"));
    }
  }
}
