package vn.lantern.rules.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import vn.lantern.rules.rule.RuleJson;

/** Window arithmetic of the evaluators on a controlled clock. */
class ConditionNodeTest {

  private static ConditionNode node(String condition) {
    return ConditionNode.compile(
        RuleJson.parse(
                new JsonObject(
                    "{\"name\": \"t\", \"scope\": {\"zone\": \"hoi-an\"}, \"metric\": \"x\","
                        + " \"condition\": "
                        + condition
                        + "}"),
                zone -> true)
            .condition(),
        0,
        WindowLimits.defaults().budget());
  }

  @Test
  void slidingWindowKeepsTimeOrderAndOverwritesRedeliveries() {
    ConditionNode max =
        node(
            "{\"type\": \"aggregate\", \"function\": \"max\", \"window\": \"10s\", \"op\": \">\","
                + " \"value\": 5}");
    max.onReading("x", 9, 10_000, 10_000);
    max.onReading("x", 1, 5_000, 10_000); // late, but inside the window
    max.onReading("x", 2, 10_000, 10_000); // redelivery of 10 s with a new value
    assertEquals(2.0, max.value());
    assertFalse(max.satisfied(10_000));
    for (int i = 0; i < 20; i++) {
      max.onReading("x", 6, 11_000 + i, 11_000 + i); // grows the ring
    }
    assertTrue(max.satisfied(11_019));
    max.onTick(21_020); // everything older than 11.02 s has left the window
    assertFalse(max.satisfied(21_020), "empty window clears");
  }

  @Test
  void p95CountAndSumOverASlidingWindow() {
    ConditionNode p95 =
        node(
            "{\"type\": \"aggregate\", \"function\": \"p95\", \"window\": \"1m\", \"op\": \">=\","
                + " \"value\": 95}");
    for (int i = 1; i <= 100; i++) {
      p95.onReading("x", i, i, i);
    }
    assertEquals(95.0, p95.value());
    assertTrue(p95.satisfied(100));

    ConditionNode count =
        node(
            "{\"type\": \"aggregate\", \"function\": \"count\", \"window\": \"1m\", \"op\": \"<\","
                + " \"value\": 3}");
    count.onReading("x", 1, 0, 0);
    assertTrue(count.satisfied(0), "one reading is fewer than three");
    count.onReading("x", 1, 1, 1);
    count.onReading("x", 1, 2, 2);
    assertFalse(count.satisfied(2));

    ConditionNode sum =
        node(
            "{\"type\": \"aggregate\", \"function\": \"sum\", \"window\": \"1h\", \"op\": \">\","
                + " \"value\": 100}");
    sum.onReading("x", 60, 0, 0);
    sum.onReading("x", 50, 1_000, 1_000);
    assertEquals(110.0, sum.value());
    assertTrue(sum.satisfied(1_000));
  }

  @Test
  void tumblingWindowDecidesWhenItCloses() {
    ConditionNode avg =
        node(
            "{\"type\": \"aggregate\", \"function\": \"avg\", \"window\": \"10s\", \"tumbling\":"
                + " true, \"op\": \">\", \"value\": 10}");
    avg.onReading("x", 30, 1_000, 1_000);
    avg.onReading("x", 0, 2_000, 2_000);
    assertFalse(avg.satisfied(2_000), "the window is still open");
    avg.onTick(10_000);
    assertTrue(avg.satisfied(10_000), "mean 15 over [0 s, 10 s)");
    avg.onReading("x", 1, 12_000, 12_000);
    avg.onTick(20_000);
    assertFalse(avg.satisfied(20_000), "mean 1 over [10 s, 20 s)");
  }

  @Test
  void insideRangeWithClearRange() {
    ConditionNode inside =
        node(
            "{\"type\": \"threshold\", \"op\": \"inside\", \"value\": [0, 1], \"clear\": [-1, 2]}");
    inside.onReading("x", 0.5, 0, 0);
    assertTrue(inside.satisfied(0));
    inside.onReading("x", 1.5, 1, 1);
    assertTrue(inside.satisfied(1), "still inside the clear range");
    inside.onReading("x", 2.5, 2, 2);
    assertFalse(inside.satisfied(2));
  }

  @Test
  void windowedLevelsAndAqiSurviveTheStore() {
    for (String condition :
        new String[] {
          "{\"type\": \"levels\", \"window\": \"24h\", \"levels\": [{\"name\": \"L1\","
              + " \"value\": 100, \"severity\": \"info\"}]}",
          "{\"type\": \"aqi\", \"hysteresis\": 5, \"for\": \"10m\", \"levels\": [{\"name\":"
              + " \"Kém\", \"value\": 101, \"severity\": \"info\"}]}"
        }) {
      var rule =
          RuleJson.parse(
              new JsonObject(
                  "{\"name\": \"t\", \"scope\": {\"zone\": \"hoi-an\"}, \"metric\": \"x\","
                      + " \"condition\": "
                      + condition
                      + "}"),
              zone -> true);
      var stored = RuleJson.parse(RuleJson.writeForStore(rule), zone -> true);
      assertEquals(rule.condition(), stored.condition(), condition);
    }
  }

  @Test
  void levelsOverASlidingSumFollowTheWindow() {
    long h = 3_600_000L;
    ConditionNode rain =
        node(
            "{\"type\": \"levels\", \"window\": \"24h\", \"hysteresis\": 5, \"levels\": ["
                + "{\"name\": \"L1\", \"value\": 100, \"severity\": \"info\"},"
                + "{\"name\": \"L2\", \"value\": 200, \"severity\": \"warning\"}]}");
    rain.onReading("x", 60, 0, 0);
    assertFalse(rain.satisfied(0));
    rain.onReading("x", 50, h, h); // 110
    assertTrue(rain.satisfied(h));
    assertEquals("x Σ 24h = 110.0: L1", rain.detail());
    rain.onReading("x", 100, 2 * h, 2 * h); // 210
    assertTrue(rain.satisfied(2 * h));
    assertEquals(vn.lantern.rules.rule.Severity.WARNING, rain.severity(null));
    // The window moves on with time alone: at 24 h + 1 ms the first 60 mm leave (150 mm).
    assertEquals(24 * h, rain.nextDue(2 * h));
    rain.onTick(24 * h);
    assertEquals(150.0, rain.value());
    assertTrue(rain.satisfied(24 * h));
    assertEquals(vn.lantern.rules.rule.Severity.INFO, rain.severity(null));
    rain.onTick(26 * h);
    assertEquals(0.0, rain.value());
    assertFalse(rain.satisfied(26 * h));
  }
}
