package vn.lantern.rules.eval;

import static vn.lantern.deploy.testing.TestNode.awaitTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import vn.lantern.deploy.testing.TestNode;

/**
 * The alerts one rule seeded from a regulation pack raises on one device of a running node, read
 * through the API as an operator would: the rule, the device's alert of that rule, and its
 * transitions.
 */
final class SeededRuleAlerts {
  private static final Duration WAIT = Duration.ofSeconds(15);

  private final TestNode node;
  private final JsonObject rule;
  private final String device;

  private SeededRuleAlerts(TestNode node, JsonObject rule, String device) {
    this.node = node;
    this.rule = rule;
    this.device = device;
  }

  /** The rule seeded from {@code pack} in {@code zone}, watched on {@code device}. */
  static SeededRuleAlerts of(TestNode node, String zone, String pack, String device) {
    JsonArray rules =
        node.http("GET", "/api/v1/rules?zone=" + zone, null, node.admin())
            .json()
            .getJsonArray("items");
    for (Object o : rules) {
      JsonObject rule = (JsonObject) o;
      JsonObject source = rule.getJsonObject("source");
      if (source != null && pack.equals(source.getString("pack"))) {
        return new SeededRuleAlerts(node, rule, device);
      }
    }
    throw new AssertionError("no rule seeded from " + pack + " in " + rules.encodePrettily());
  }

  /** The rule as the API lists it. */
  JsonObject rule() {
    return rule;
  }

  /** The device's alert of the rule, or null before the first. */
  JsonObject alert() {
    for (Object o : node.alerts("?device=" + device)) {
      JsonObject alert = (JsonObject) o;
      if (alert.getString("ruleId").equals(rule.getString("id"))) {
        return alert;
      }
    }
    return null;
  }

  /** The transitions of an alert, oldest first. */
  JsonArray transitions(String alertId) {
    return node.http("GET", "/api/v1/alerts/" + alertId, null, node.admin())
        .json()
        .getJsonArray("transitions");
  }

  /** Waits until the device's alert of the rule has {@code count} transitions. */
  void awaitTransitions(int count) throws InterruptedException {
    awaitTrue(
        device + "'s alert of rule " + rule.getString("name") + " has " + count + " transitions",
        WAIT,
        () -> {
          JsonObject alert = alert();
          return alert != null && transitions(alert.getString("id")).size() == count;
        });
  }

  /** One field of every transition, oldest first. */
  static List<String> each(JsonArray transitions, String field) {
    return transitions.stream().map(o -> ((JsonObject) o).getString(field)).toList();
  }
}
