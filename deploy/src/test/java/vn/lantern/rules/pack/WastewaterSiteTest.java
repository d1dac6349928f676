package vn.lantern.rules.pack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static vn.lantern.deploy.testing.TestNode.publish;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import vn.lantern.deploy.testing.TestNode;
import vn.lantern.ioc.kpi.WastewaterLimits;
import vn.lantern.testing.InfluxDbExtension;
import vn.lantern.testing.TestInflux;

/**
 * A wastewater site listed in the QCVN 40 pack (a river of 30 m³/s: Kq 0.9; 300 m³/24h: Kf 1.1) is
 * judged at Cmax = 150 × 0.99 = 148.5 mg/L COD by its seeded rule over MQTT and by the compliance
 * KPI's limits alike: COD 149 breaks it, though it is below column B's C of 150.
 */
@ExtendWith(InfluxDbExtension.class)
class WastewaterSiteTest {
  private static final String PARK = "kcn-thuan-yen";
  private static final String SITE = "XLNT Thuận Yên";

  @Test
  void aSiteIsJudgedAtItsCmaxByRuleAndKpi(@TempDir Path dataDir, TestInflux influx)
      throws Exception {
    JsonObject pack =
        new JsonObject(
            new String(
                WastewaterSiteTest.class
                    .getResourceAsStream("/regulations/qcvn-40-2011-wastewater.json")
                    .readAllBytes(),
                StandardCharsets.UTF_8));
    pack.getJsonArray("sites")
        .add(
            new JsonObject()
                .put("zone", PARK)
                .put("site", SITE)
                .put("receiving", new JsonObject().put("type", "river").put("flowM3s", 30))
                .put("flowM3PerDay", 300)
                .put("source", "discharge permit (test)"));
    Files.createDirectories(dataDir.resolve("regulations"));
    Files.writeString(dataDir.resolve("regulations/qcvn-40-2011-wastewater.json"), pack.encode());

    try (TestNode node =
        TestNode.builder(dataDir, influx).set("rules.seedRulePacks", true).start()) {
      WastewaterLimits kpiLimits =
          node.node().kpis().engine().config().wastewaterLimits(PARK, SITE);
      assertEquals(148.5, kpiLimits.cod(), "the KPI's Cmax");

      JsonArray rules =
          node.http("GET", "/api/v1/rules?zone=" + PARK, null, node.admin())
              .json()
              .getJsonArray("items");
      JsonObject columnB = null;
      for (int i = 0; i < rules.size(); i++) {
        JsonObject r = rules.getJsonObject(i);
        if (r.getString("name").startsWith("Wastewater above QCVN 40 column B")) {
          assertEquals(SITE, r.getJsonObject("scope").getString("site"), "one rule per site");
          columnB = r;
        }
      }
      assertTrue(columnB != null, rules.encodePrettily());

      node.device("thuanyen-ww", "wastewater", PARK, SITE);
      MqttClient mqtt = node.mqtt("thuanyen-ww");
      long t = System.currentTimeMillis() - 30 * 60_000;
      try {
        publish(mqtt, "cod", 149, t);
        publish(mqtt, "cod", 149, t + 16 * 60_000); // held 15 minutes above 148.5
      } finally {
        mqtt.disconnect();
        mqtt.close();
      }
      String ruleId = columnB.getString("id");
      TestNode.awaitTrue(
          "the site's column B rule fires at COD 149",
          Duration.ofSeconds(10),
          () ->
              node.alerts("?device=thuanyen-ww").stream()
                  .anyMatch(a -> ((JsonObject) a).getString("ruleId").equals(ruleId)));
      JsonObject site =
          node.http("GET", "/api/v1/regulations/qcvn-40-2011-wastewater", null, node.admin())
              .json()
              .getJsonArray("sites")
              .getJsonObject(0);
      assertEquals(0.9, site.getDouble("kq"));
      assertEquals(1.1, site.getDouble("kf"));
    }
  }
}
