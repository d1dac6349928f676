package vn.lantern.rules.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static vn.lantern.deploy.testing.TestNode.awaitTrue;
import static vn.lantern.deploy.testing.TestNode.publish;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import vn.lantern.deploy.testing.TestNode;
import vn.lantern.testing.InfluxDbExtension;
import vn.lantern.testing.TestInflux;

/**
 * The shipped flood pack's river network: readings of the Nông Sơn gauge over MQTT through a
 * running node raise ONE upstream warning in Hội An's zone (and one in Điện Bàn's, for Cầu Lâu),
 * escalating with Nông Sơn's alarm level, worded as the bulletins are, and resolved when Nông Sơn
 * falls back below BĐ1. Readings lie up to an hour back, so the 5-minute holds pass in data time.
 */
@ExtendWith(InfluxDbExtension.class)
class UpstreamWarningTest {
  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final long MIN = 60_000;
  private static final String DEVICE = "nongson-wl-01";
  private static final String TO_HOI_AN = "Upstream flood: Nông Sơn (Thu Bồn) → Hội An, about 8 h";

  @TempDir static Path dataDir;
  static TestNode node;

  @BeforeAll
  static void start(TestInflux influx) throws Exception {
    node = TestNode.builder(dataDir, influx).start();
  }

  @AfterAll
  static void stop() throws Exception {
    node.close();
  }

  private static JsonObject warning(String zone, String ruleName) {
    for (Object o : node.alerts("?zone=" + zone + "&device=" + DEVICE)) {
      JsonObject alert = (JsonObject) o;
      if (alert.getString("ruleName").equals(ruleName)) {
        return alert;
      }
    }
    return null;
  }

  private static JsonArray transitions(JsonObject alert) {
    return node.http("GET", "/api/v1/alerts/" + alert.getString("id"), null, node.admin())
        .json()
        .getJsonArray("transitions");
  }

  private static void awaitTransitions(String zone, String ruleName, int count)
      throws InterruptedException {
    awaitTrue(
        "the upstream warning in " + zone + " has " + count + " transitions",
        WAIT,
        () -> {
          JsonObject alert = warning(zone, ruleName);
          return alert != null && transitions(alert).size() == count;
        });
  }

  @Test
  void nongSonRisingWarnsHoiAnUntilItFallsBack() throws Exception {
    node.device(DEVICE, "water_level", "da-nang", "Nông Sơn");
    long t0 = System.currentTimeMillis() - 55 * MIN;
    MqttClient mqtt = node.mqtt(DEVICE);
    try {
      publish(mqtt, "level", 12.90, t0); // above BĐ1 11 m
      // BĐ1 held 5 minutes at t0 + 5 min: the warning is raised there; BĐ2 is entered at 13.10
      publish(mqtt, "level", 13.10, t0 + 40 * MIN);
      awaitTransitions("hoi-an", TO_HOI_AN, 1);
      publish(mqtt, "level", 13.15, t0 + 50 * MIN); // BĐ2 held at t0 + 45 min: escalated
      awaitTransitions("hoi-an", TO_HOI_AN, 2);
      publish(mqtt, "level", 10.50, t0 + 54 * MIN); // below BĐ1 − 0.1 and falling: resolved
      awaitTransitions("hoi-an", TO_HOI_AN, 3);
    } finally {
      mqtt.disconnect();
      mqtt.close();
    }
    JsonObject alert = warning("hoi-an", TO_HOI_AN);
    assertEquals("resolved", alert.getString("state"));
    assertEquals("Nông Sơn", alert.getString("site"));
    JsonArray transitions = transitions(alert);
    assertEquals(
        List.of("fired", "escalated", "resolved"),
        transitions.stream().map(o -> ((JsonObject) o).getString("transition")).toList());
    assertEquals(
        List.of("info", "warning", "warning"),
        transitions.stream().map(o -> ((JsonObject) o).getString("severity")).toList());
    String lead =
        "; dự kiến ảnh hưởng Hội An sau khoảng 8 giờ (thời gian truyền lũ chưa xác nhận) / ";
    String leadEn = "; expected to reach Hội An in about 8 hours (lead time unconfirmed)";
    assertEquals(
        List.of(
            "Lũ thượng nguồn: Mực nước sông Thu Bồn tại Nông Sơn: 12,90 m, trên BĐ1 1,90 m"
                + lead
                + "Upstream flood: Thu Bồn at Nông Sơn: 12.90 m, 1.90 m above BĐ1"
                + leadEn,
            "Lũ thượng nguồn: Mực nước sông Thu Bồn tại Nông Sơn: 13,10 m, trên BĐ2 0,10 m,"
                + " đang lên 0,30 m/h"
                + lead
                + "Upstream flood: Thu Bồn at Nông Sơn: 13.10 m, 0.10 m above BĐ2, rising 0.30 m/h"
                + leadEn,
            "Lũ thượng nguồn: Mực nước sông Thu Bồn tại Nông Sơn: 10,50 m, dưới BĐ1 0,50 m,"
                + " đang xuống 39,75 m/h"
                + lead
                + "Upstream flood: Thu Bồn at Nông Sơn: 10.50 m, 0.50 m below BĐ1, falling 39.75"
                + " m/h"
                + leadEn),
        transitions.stream().map(o -> ((JsonObject) o).getString("note")).toList());

    // Cầu Lâu (zone dien-ban) gets its own warning, one per pair; the gauge's own alarm-level
    // alert stays in its zone.
    JsonObject toCauLau =
        warning("dien-ban", "Upstream flood: Nông Sơn (Thu Bồn) → Cầu Lâu, about 6 h");
    assertNotNull(toCauLau, "the warning for Cầu Lâu");
    assertEquals("resolved", toCauLau.getString("state"));
    assertEquals(1, node.alerts("?zone=hoi-an&device=" + DEVICE).size());
    awaitTrue(
        "Nông Sơn's own alarm-level alert in da-nang",
        WAIT,
        () -> node.alerts("?zone=da-nang&device=" + DEVICE).size() == 1);
  }

  @Test
  void anUpstreamRuleNeedsAKnownDownstreamZone() {
    JsonObject rule =
        new JsonObject(
            "{\"name\": \"x\", \"scope\": {\"zone\": \"da-nang\", \"type\": \"water_level\"},"
                + " \"metric\": \"level\", \"condition\": {\"type\": \"upstream\","
                + " \"station\": {\"name\": \"Nông Sơn\", \"river\": \"Thu Bồn\"},"
                + " \"levels\": [{\"name\": \"BĐ1\", \"value\": 11, \"severity\": \"info\"}],"
                + " \"rise\": {\"type\": \"rate\", \"op\": \">=\", \"value\": 0.2},"
                + " \"downstream\": {\"name\": \"Nowhere\", \"zone\": \"no-such-zone\","
                + " \"leadHours\": 3}}}");
    var response = node.http("POST", "/api/v1/rules", rule, node.admin());
    assertEquals(400, response.status());
    assertEquals("condition.downstream.zone", response.json().getString("field"));
  }
}
