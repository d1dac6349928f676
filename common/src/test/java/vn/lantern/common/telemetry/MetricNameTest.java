package vn.lantern.common.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class MetricNameTest {
  @Test
  void agreesWithTheRuleAsARegex() {
    Pattern rule = Pattern.compile(MetricName.RULE);
    for (String name :
        List.of(
            "pm25",
            "a",
            "level_m",
            "x".repeat(64),
            "x".repeat(65),
            "",
            "9lives",
            "_x",
            "PM25",
            "pm-25",
            "pm 25",
            "time",
            "ä")) {
      assertEquals(rule.matcher(name).matches(), MetricName.isWellFormed(name), name);
    }
    assertEquals(false, MetricName.isWellFormed(null));
  }
}
