package vn.lantern.rules.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import vn.lantern.rules.rule.RuleJson;
import vn.lantern.rules.rule.Severity;

/**
 * The {@code aqi} condition on a controlled clock: the station's hourly VN_AQI from its raw
 * readings, one state escalating and falling back through the band limits. Expected values are
 * worked by hand in the comments (PM2.5 breakpoints 50 → 100, 80 → 150, 150 → 200).
 */
class AqiNodeTest {
  private static final long MIN = 60_000;
  private static final long H = 60 * MIN;
  private static final long H0 = 1_764_435_600_000L; // an hour start

  private static ConditionNode node() {
    return ConditionNode.compile(
        RuleJson.parse(
                new JsonObject(
                    "{\"name\": \"aqi\", \"scope\": {\"zone\": \"hoi-an\", \"type\":"
                        + " \"air_quality\"}, \"condition\": {\"type\": \"aqi\", \"for\": \"10m\","
                        + " \"hysteresis\": 5, \"levels\": ["
                        + "{\"name\": \"Kém\", \"value\": 101, \"severity\": \"info\"},"
                        + "{\"name\": \"Xấu\", \"value\": 151, \"severity\": \"warning\"},"
                        + "{\"name\": \"Rất xấu\", \"value\": 201, \"severity\": \"critical\"}]}}"),
                zone -> true)
            .condition(),
        0,
        WindowLimits.defaults().budget());
  }

  @Test
  void escalatesAndFallsBackWithTheHourlyAqi() {
    ConditionNode aqi = node();
    aqi.onReading("pm25", 60, H0 + 30 * MIN, H0 + 30 * MIN);
    aqi.onReading("temperature", 31, H0 + 30 * MIN, H0 + 30 * MIN);
    assertTrue(Double.isNaN(aqi.value()), "one hour of data: no NowCast yet");

    // Hours 60, 60: NowCast 60 → 100 + 50 / 30 × 10 = 116.7 → 117, poor.
    aqi.onReading("pm25", 60, H0 + H + 5 * MIN, H0 + H + 5 * MIN);
    assertEquals(117, aqi.value());
    assertFalse(aqi.satisfied(H0 + H + 10 * MIN), "held 5 of 10 minutes");
    assertTrue(aqi.satisfied(H0 + H + 15 * MIN));
    assertEquals(Severity.INFO, aqi.severity(Severity.CRITICAL));
    assertEquals(
        "VN_AQI 117: Kém / Poor; chất ô nhiễm chính / dominant pollutant: PM2.5", aqi.detail());

    // 200 in the same hour: its mean is 130; w* = 60 / 130 < 0.5, so w = 0.5 and the NowCast is
    // (130 + 0.5 × 60) / 1.5 = 106.7 → 150 + 50 / 70 × 26.7 = 169.0 → 169, bad.
    aqi.onReading("pm25", 200, H0 + H + 20 * MIN, H0 + H + 20 * MIN);
    assertEquals(169, aqi.value());
    assertEquals(Severity.INFO, aqi.severity(Severity.CRITICAL), "bad not yet held 10 minutes");
    assertTrue(aqi.satisfied(H0 + H + 30 * MIN));
    assertEquals(Severity.WARNING, aqi.severity(Severity.CRITICAL));

    // Next hour 20: NowCast (20, 130, 60), w = 0.5: (20 + 65 + 15) / 1.75 = 57.1 → 112, poor
    // again (below 151 − 5): back to info at once.
    aqi.onReading("pm25", 20, H0 + 2 * H + 5 * MIN, H0 + 2 * H + 5 * MIN);
    assertEquals(112, aqi.value());
    assertTrue(aqi.satisfied(H0 + 2 * H + 5 * MIN));
    assertEquals(Severity.INFO, aqi.severity(Severity.CRITICAL));

    // Then 5: NowCast (5, 20, 130, 60) = 55 / 1.875 = 29.3 → 50 + 50 / 25 × 4.3 = 58.7 → 59.
    aqi.onReading("pm25", 5, H0 + 3 * H + 5 * MIN, H0 + 3 * H + 5 * MIN);
    assertEquals(59, aqi.value());
    assertFalse(aqi.satisfied(H0 + 3 * H + 5 * MIN));
  }

  @Test
  void aGasCanDominateAndOldHoursLeaveTheNowCast() {
    ConditionNode aqi = node();
    aqi.onReading("pm25", 20, H0, H0);
    aqi.onReading("pm25", 20, H0 + H, H0 + H);
    // NO2 1-hour mean 750: 150 + 50 / 500 × 50 = 155, above PM2.5's 40.
    aqi.onReading("no2", 700, H0 + H + MIN, H0 + H + MIN);
    aqi.onReading("no2", 800, H0 + H + 2 * MIN, H0 + H + 2 * MIN);
    assertEquals(155, aqi.value());
    assertTrue(aqi.detail().endsWith("dominant pollutant: NO2"), aqi.detail());

    // 13 hours later only the new hours count: a reading of the hour 13 hours back is dropped.
    aqi.onReading("pm25", 10, H0 + 13 * H, H0 + 13 * H);
    aqi.onReading("pm25", 10, H0 + 14 * H, H0 + 14 * H);
    aqi.onReading("pm25", 500, H0 + H, H0 + 14 * H); // far too late for any NowCast to come
    assertEquals(20, aqi.value()); // 10 / 25 × 50
  }
}
