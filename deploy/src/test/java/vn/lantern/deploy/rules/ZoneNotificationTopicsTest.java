package vn.lantern.deploy.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import vn.lantern.deploy.testing.TestNode;
import vn.lantern.testing.InfluxDbExtension;
import vn.lantern.testing.TestInflux;

/**
 * A zone manager's MQTT notification topics stay under their zone's prefix ({@code
 * lantern/<zone>/}): before, any topic was accepted, so a zone manager could publish fake alerts
 * into another zone's topics or the KPI push's.
 */
@ExtendWith(InfluxDbExtension.class)
class ZoneNotificationTopicsTest {
  private static final String PASSWORD = "a-long-enough-password";

  @TempDir Path dataDir;

  @Test
  void aZoneManagersMqttNotificationsStayUnderTheirZonesTopics(TestInflux influx) throws Exception {
    try (TestNode node =
        TestNode.builder(dataDir, influx).set("rules.seedRulePacks", false).start()) {
      TestNode.Response user =
          node.http(
              "POST",
              "/api/v1/users",
              new JsonObject()
                  .put("username", "topic-manager")
                  .put("password", PASSWORD)
                  .put("role", "zone-manager")
                  .put("zones", new JsonArray().add("hoi-an")));
      assertEquals(201, user.status(), user.body());
      TestNode.Response login =
          node.http(
              "POST",
              "/api/v1/login",
              new JsonObject().put("username", "topic-manager").put("password", PASSWORD),
              null);
      assertEquals(200, login.status(), login.body());
      String manager = login.json().getString("token");

      for (String elsewhere :
          List.of("lantern/tam-ky/alerts", "lantern/kpi", "lantern/hoi-an", "ioc/alerts", "x")) {
        TestNode.Response refused = node.http("POST", "/api/v1/rules", rule(elsewhere), manager);
        assertEquals(400, refused.status(), elsewhere + ": " + refused.body());
        assertEquals("channels[0].topic", refused.json().getString("field"));
      }
      TestNode.Response own =
          node.http("POST", "/api/v1/rules", rule("lantern/hoi-an/alerts"), manager);
      assertEquals(201, own.status(), own.body());
      TestNode.Response moved =
          node.http(
              "PUT",
              "/api/v1/rules/" + own.json().getString("id"),
              rule("lantern/hoi-an-2/alerts"),
              manager);
      assertEquals(400, moved.status(), moved.body());
      assertEquals("channels[0].topic", moved.json().getString("field"));

      // Admins run the platform: any topic.
      assertEquals(201, node.http("POST", "/api/v1/rules", rule("ioc/alerts")).status());
    }
  }

  private static JsonObject rule(String topic) {
    return new JsonObject(
            "{\"name\": \"river above alarm 2\", \"scope\": {\"zone\": \"hoi-an\", \"type\":"
                + " \"water_level\"}, \"metric\": \"level\", \"condition\": {\"type\":"
                + " \"threshold\", \"op\": \">\", \"value\": 1.5}}")
        .put(
            "channels",
            new JsonArray().add(new JsonObject().put("type", "mqtt").put("topic", topic)));
  }
}
