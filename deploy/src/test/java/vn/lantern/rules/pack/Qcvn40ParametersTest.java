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
 * The remaining QCVN 40:2011 parameters reach the shipped column B rule under the metric names the
 * ingest knows: total nitrogen reported as {@code total_n} over MQTT, 45 mg/L for 16 minutes,
 * raises the park's column B alert (limit 40 mg/L).
 */
@ExtendWith(InfluxDbExtension.class)
class Qcvn40ParametersTest {
  private static final String PARK = "kcn-dien-nam-dien-ngoc";

  @Test
  void totalNitrogenAboveColumnBRaisesTheParksAlert(@TempDir Path dataDir, TestInflux influx)
      throws Exception {
    try (TestNode node =
        TestNode.builder(dataDir, influx).set("rules.seedRulePacks", true).start()) {
      JsonArray rules =
          node.http("GET", "/api/v1/rules?zone=" + PARK, null, node.admin())
              .json()
              .getJsonArray("items");
      String columnB = null;
      for (int i = 0; i < rules.size(); i++) {
        JsonObject r = rules.getJsonObject(i);
        if (r.getString("name").startsWith("Wastewater above QCVN 40 column B")) {
          assertEquals(5, r.getJsonObject("source").getInteger("version"));
          columnB = r.getString("id");
        }
      }
      assertTrue(columnB != null, rules.encodePrettily());

      node.device("dnd-ww-tn", "wastewater", PARK, "Trạm xử lý nước thải tập trung");
      MqttClient mqtt = node.mqtt("dnd-ww-tn");
      long t = System.currentTimeMillis() - 30 * 60_000;
      try {
        publish(mqtt, "total_n", 45, t);
        publish(mqtt, "total_n", 45, t + 16 * 60_000); // held 15 minutes above 40
      } finally {
        mqtt.disconnect();
        mqtt.close();
      }
      String ruleId = columnB;
      TestNode.awaitTrue(
          "the park's column B rule fires at total N 45 mg/L",
          Duration.ofSeconds(10),
          () ->
              node.alerts("?device=dnd-ww-tn").stream()
                  .anyMatch(a -> ((JsonObject) a).getString("ruleId").equals(ruleId)));
    }
  }
}
