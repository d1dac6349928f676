package vn.lantern.rules.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import vn.lantern.common.telemetry.DeviceRef;
import vn.lantern.rules.rule.RuleJson;
import vn.lantern.rules.rule.Severity;

/**
 * The {@code zone_aqi} condition on a controlled clock: the zone's AQI is its worst reporting
 * station's (AQI values as worked by hand in {@link AqiNodeTest}), and a station silent for two
 * hours no longer sets it.
 */
class ZoneAqiNodeTest {
  private static final long MIN = 60_000;
  private static final long H = 60 * MIN;
  private static final long H0 = 1_764_435_600_000L; // an hour start
  private static final DeviceRef ONE = new DeviceRef("aq-1", "air_quality", "hoi-an", "Trạm 1");
  private static final DeviceRef TWO = new DeviceRef("aq-2", "air_quality", "hoi-an", "Trạm 2");

  private static ConditionNode node() {
    return ConditionNode.compile(
        RuleJson.parse(
                new JsonObject(
                    "{\"name\": \"zone aqi\", \"scope\": {\"zone\": \"hoi-an\", \"type\":"
                        + " \"air_quality\"}, \"condition\": {\"type\": \"zone_aqi\", \"for\":"
                        + " \"10m\", \"hysteresis\": 5, \"levels\": ["
                        + "{\"name\": \"Xấu\", \"value\": 151, \"severity\": \"warning\"},"
                        + "{\"name\": \"Rất xấu\", \"value\": 201, \"severity\": \"critical\"}]}}"),
                zone -> true)
            .condition(),
        0,
        WindowLimits.defaults().budget());
  }

  private static void read(ConditionNode zone, DeviceRef device, double pm25, long ts) {
    zone.from(device);
    zone.onReading("pm25", pm25, ts, ts);
  }

  @Test
  void theWorstReportingStationSetsTheZone() {
    ConditionNode zone = node();
    read(zone, ONE, 60, H0 + 30 * MIN);
    read(zone, ONE, 60, H0 + H + 5 * MIN); // station 1: 117
    read(zone, TWO, 60, H0 + 30 * MIN);
    read(zone, TWO, 60, H0 + H + 5 * MIN);
    read(zone, TWO, 200, H0 + H + 20 * MIN); // station 2: 169
    assertEquals(169, zone.value());
    assertTrue(zone.satisfied(H0 + H + 30 * MIN));
    assertEquals(Severity.WARNING, zone.severity(Severity.INFO));
    assertEquals(
        "VN_AQI 169: Xấu / Bad; trạm / station: Trạm 2; chất ô nhiễm chính / dominant pollutant:"
            + " PM2.5",
        zone.detail());

    // Station 2 falls silent; station 1 reports on for two more hours: it sets the zone alone.
    read(zone, ONE, 20, H0 + 2 * H + 5 * MIN);
    assertEquals(169, zone.value(), "station 2 is still current");
    read(zone, ONE, 20, H0 + 3 * H + 30 * MIN);
    assertTrue(zone.value() < 100, "station 2, silent for over two hours, left out");
    assertFalse(zone.satisfied(H0 + 3 * H + 30 * MIN));
    assertTrue(zone.detail().contains("Trạm 1"), zone.detail());
  }
}
