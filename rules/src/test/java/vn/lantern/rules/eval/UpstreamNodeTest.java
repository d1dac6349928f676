package vn.lantern.rules.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import vn.lantern.rules.rule.RuleJson;
import vn.lantern.rules.rule.Severity;

/**
 * An upstream warning holds from the first of the upstream gauge's BĐ1 (held) or its rate of rise
 * (held), takes the upstream level's severity, and clears only when both have cleared.
 */
class UpstreamNodeTest {
  private static final long MIN = 60_000;

  private static ConditionNode node() {
    return ConditionNode.compile(
        RuleJson.parse(
                new JsonObject(
                    "{\"name\": \"t\", \"scope\": {\"zone\": \"da-nang\"}, \"metric\": \"level\","
                        + " \"condition\": {\"type\": \"upstream\", \"for\": \"5m\","
                        + " \"hysteresis\": 0.1,"
                        + " \"station\": {\"name\": \"Nông Sơn\", \"river\": \"Thu Bồn\"},"
                        + " \"levels\": [{\"name\": \"BĐ1\", \"value\": 11, \"severity\": \"info\"},"
                        + " {\"name\": \"BĐ2\", \"value\": 13, \"severity\": \"warning\"},"
                        + " {\"name\": \"BĐ3\", \"value\": 15, \"severity\": \"critical\"}],"
                        + " \"rise\": {\"type\": \"rate\", \"op\": \">=\", \"value\": 0.2,"
                        + " \"clear\": 0.05, \"per\": \"1h\", \"for\": \"30m\"},"
                        + " \"downstream\": {\"name\": \"Hội An\", \"zone\": \"hoi-an\","
                        + " \"leadHours\": 8, \"unconfirmed\": true}}}"),
                zone -> true)
            .condition(),
        0,
        WindowLimits.defaults().budget());
  }

  @Test
  void aFastRiseWarnsBeforeBd1AndTheWarningEndsWhenBothClear() {
    ConditionNode upstream = node();
    upstream.onReading("level", 9.0, 0, 0);
    upstream.onReading("level", 9.25, 30 * MIN, 30 * MIN); // 0.5 m/h, below BĐ1
    assertFalse(upstream.satisfied(30 * MIN), "rising, not yet for 30 minutes");
    upstream.onReading("level", 9.5, 60 * MIN, 60 * MIN);
    assertTrue(upstream.satisfied(60 * MIN), "rising 0.5 m/h for 30 minutes");
    assertEquals(Severity.WARNING, upstream.severity(Severity.WARNING), "the rule's while rising");
    upstream.onReading("level", 11.2, 90 * MIN, 90 * MIN);
    upstream.onReading("level", 11.3, 96 * MIN, 96 * MIN);
    assertTrue(upstream.satisfied(96 * MIN));
    assertEquals(
        Severity.WARNING,
        upstream.severity(Severity.WARNING),
        "BĐ1 is info, but still rising fast: the rule's warning");
    upstream.onReading("level", 11.3, 126 * MIN, 126 * MIN); // steady: the rise clears
    assertTrue(upstream.satisfied(126 * MIN), "still above BĐ1");
    assertEquals(Severity.INFO, upstream.severity(Severity.WARNING), "BĐ1 alone");
    upstream.onReading("level", 10.95, 130 * MIN, 130 * MIN); // inside the hysteresis
    assertTrue(upstream.satisfied(130 * MIN));
    upstream.onReading("level", 10.85, 180 * MIN, 180 * MIN);
    assertFalse(upstream.satisfied(180 * MIN), "below BĐ1 − 0.1 and not rising");
    assertEquals(
        "Lũ thượng nguồn: Mực nước sông Thu Bồn tại Nông Sơn: 10,85 m, dưới BĐ1 0,15 m,"
            + " đang xuống 0,12 m/h; dự kiến ảnh hưởng Hội An sau khoảng 8 giờ (thời gian truyền"
            + " lũ chưa xác nhận) / Upstream flood: Thu Bồn at Nông Sơn: 10.85 m, 0.15 m below"
            + " BĐ1, falling 0.12 m/h; expected to reach Hội An in about 8 hours (lead time"
            + " unconfirmed)",
        upstream.detail());
  }
}
