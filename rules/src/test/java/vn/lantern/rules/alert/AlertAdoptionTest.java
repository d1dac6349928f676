package vn.lantern.rules.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;
import vn.lantern.common.telemetry.DeviceRef;
import vn.lantern.rules.rule.Rule;
import vn.lantern.rules.rule.RuleJson;

/**
 * Which node holds an alert: an upstream warning is held where its gauge is evaluated, whatever
 * zone it is raised in; and an alert resolved here is not taken back from a store read made before
 * its resolution was written.
 */
class AlertAdoptionTest {
  private static final DeviceRef GAUGE = new DeviceRef("up-1", "water_level", "tam-ky", "Thượng");

  private static Rule rule(String id, String condition) {
    return RuleJson.parse(
            new JsonObject(
                "{\"name\": \"r\", \"scope\": {\"zone\": \"tam-ky\", \"type\": \"water_level\"},"
                    + " \"metric\": \"level\", \"severity\": \"warning\", \"condition\": "
                    + condition
                    + "}"),
            zone -> true)
        .withIdentity(id, 1, 0);
  }

  private static final Rule UPSTREAM =
      rule(
          "upstream",
          "{\"type\": \"upstream\", \"station\": {\"name\": \"Thượng\", \"river\": \"Thử\"},"
              + " \"levels\": [{\"name\": \"BĐ1\", \"value\": 3, \"severity\": \"warning\"}],"
              + " \"rise\": {\"type\": \"rate\", \"op\": \">=\", \"value\": 0.2},"
              + " \"downstream\": {\"name\": \"Hạ\", \"zone\": \"dien-ban\", \"leadHours\": 2}}");

  private static final Rule THRESHOLD =
      rule("threshold", "{\"type\": \"threshold\", \"op\": \">\", \"value\": 1.5}");

  @Test
  void anUpstreamWarningIsEvaluatedInItsRulesZone() {
    AlertService alerts = new AlertService(event -> {});
    DeviceRef downstream = new DeviceRef(GAUGE.id(), GAUGE.type(), "dien-ban", GAUGE.site());
    Alert warning =
        alerts.fire(UPSTREAM, downstream, 3.5, 0, AlertService.Circumstances.LIVE).orElseThrow();
    assertEquals("dien-ban", warning.zone());
    assertEquals("tam-ky", warning.evaluatedIn(UPSTREAM));
    assertEquals("dien-ban", warning.evaluatedIn(null));
    Alert level =
        alerts.fire(THRESHOLD, GAUGE, 3.5, 0, AlertService.Circumstances.LIVE).orElseThrow();
    assertEquals("tam-ky", level.evaluatedIn(THRESHOLD));
  }

  @Test
  void anAlertResolvedHereIsNotAdoptedFromAnOlderRead() {
    AlertService alerts = new AlertService(event -> {});
    Alert open =
        alerts.fire(THRESHOLD, GAUGE, 2.0, 0, AlertService.Circumstances.LIVE).orElseThrow();
    List<Alert> readBefore = List.of(open);
    alerts.clear(THRESHOLD.id(), GAUGE.id(), "condition cleared", 1);
    alerts.adopt(readBefore, a -> true);
    assertTrue(alerts.openAlerts().isEmpty(), alerts.openAlerts().toString());

    AlertService other = new AlertService(event -> {});
    other.adopt(readBefore, a -> true);
    assertEquals(List.of(open), other.openAlerts());
    other.retain(a -> !a.id().equals(open.id()));
    assertTrue(other.openAlerts().isEmpty());
  }
}
