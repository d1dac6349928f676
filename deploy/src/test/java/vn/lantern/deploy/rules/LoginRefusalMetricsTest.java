package vn.lantern.deploy.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import vn.lantern.deploy.testing.Metrics;
import vn.lantern.deploy.testing.TestNode;
import vn.lantern.testing.InfluxDbExtension;
import vn.lantern.testing.TestInflux;

/**
 * Logins are counted by outcome, so a guessing attack shows on the dashboard as wrong credentials
 * and throttled refusals, not only as anonymous 401s and 429s.
 */
@ExtendWith(InfluxDbExtension.class)
class LoginRefusalMetricsTest {
  @TempDir Path dataDir;

  @Test
  void loginsAreCountedByOutcome(TestInflux influx) throws Exception {
    try (TestNode node =
        TestNode.builder(dataDir, influx).set("rules.seedRulePacks", false).start()) {
      assertEquals(200, login(node, TestNode.ADMIN_PASSWORD));
      for (int i = 0; i < 5; i++) {
        assertEquals(401, login(node, "a-wrong-guess-" + i));
      }
      assertEquals(429, login(node, "one-guess-too-many"));
      String scrape = node.http("GET", "/metrics", null).body();
      assertEquals(1, count(scrape, "success"), scrape);
      assertEquals(5, count(scrape, "wrong_credentials"));
      assertEquals(1, count(scrape, "throttled"));
    }
  }

  private static int login(TestNode node, String password) {
    return node.http(
            "POST",
            "/api/v1/login",
            new JsonObject().put("username", "admin").put("password", password),
            null)
        .status();
  }

  private static double count(String scrape, String outcome) {
    return Metrics.value(scrape, "lantern_auth_logins_total", "outcome=\"" + outcome + "\"");
  }
}
