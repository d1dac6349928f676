package vn.lantern.ioc.kpi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The AQI KPIs from hourly means: current AQI, zone = worst station, hours above 100 today. */
class AirQualityKpisTest {
  private static final long HOUR = AirQualityKpis.HOUR_MS;
  private static final long DAY_START = 1_700_000_000_000L - 1_700_000_000_000L % HOUR;

  private static NavigableMap<Long, Map<AqiPollutant, Double>> pm25(long from, double... means) {
    NavigableMap<Long, Map<AqiPollutant, Double>> hours = new TreeMap<>();
    for (int i = 0; i < means.length; i++) {
      if (!Double.isNaN(means[i])) {
        Map<AqiPollutant, Double> m = new EnumMap<>(AqiPollutant.class);
        m.put(AqiPollutant.PM25, means[i]);
        hours.put(from + i * HOUR, m);
      }
    }
    return hours;
  }

  private static KpiValue find(List<KpiValue> values, String site, String kpi) {
    return values.stream()
        .filter(v -> java.util.Objects.equals(v.site(), site) && v.kpi().equals(kpi))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + kpi + " for " + site + " in " + values));
  }

  @Test
  void zoneIsTheWorstStationAndHoursAbove100AreCountedToday() {
    Map<AirQualityKpis.Station, NavigableMap<Long, Map<AqiPollutant, Double>>> means =
        new HashMap<>();
    // Station A: 60 µg/m³ every hour since two hours before midnight → AQI 117 each hour.
    means.put(
        new AirQualityKpis.Station("tam-ky", "A"),
        pm25(DAY_START - 2 * HOUR, 60, 60, 60, 60, 60, 60));
    // Station B: 20 µg/m³ → AQI 40.
    means.put(
        new AirQualityKpis.Station("tam-ky", "B"),
        pm25(DAY_START - 2 * HOUR, 20, 20, 20, 20, 20, 20));
    // Station C: only the current hour → fewer than 2 of the last 3 hours, no AQI.
    means.put(new AirQualityKpis.Station("tam-ky", "C"), pm25(DAY_START + 3 * HOUR, 300));
    long now = DAY_START + 3 * HOUR + 30 * 60_000;

    List<KpiValue> values = AirQualityKpis.compute(means, now, DAY_START);

    KpiValue a = find(values, "A", KpiNames.AQI);
    assertEquals(117, a.value());
    assertEquals("poor", a.attributes().get("band"));
    assertEquals("#ff7e00", a.attributes().get("color"));
    assertEquals(40, find(values, "B", KpiNames.AQI).value());
    assertTrue(values.stream().noneMatch(v -> "C".equals(v.site()) && v.kpi().equals("aqi")));
    KpiValue zone = find(values, null, KpiNames.AQI);
    assertEquals(117, zone.value());
    assertEquals("A", zone.attributes().get("station"));
    // Hours 00:00 to 03:00 of today: four hours above 100 at A, none at B.
    assertEquals(4, find(values, "A", KpiNames.AQI_HOURS_ABOVE_100).value());
    assertEquals(0, find(values, "B", KpiNames.AQI_HOURS_ABOVE_100).value());
    assertEquals(4, find(values, null, KpiNames.AQI_HOURS_ABOVE_100).value());
  }

  @Test
  void aMissingLatestHourStillCountsWhenTheTwoBeforeArePresent() {
    Map<AirQualityKpis.Station, NavigableMap<Long, Map<AqiPollutant, Double>>> means =
        Map.of(new AirQualityKpis.Station("hoi-an", "S"), pm25(DAY_START, 20.3, 20.3, Double.NaN));
    List<KpiValue> values = AirQualityKpis.compute(means, DAY_START + 2 * HOUR + 60_000, DAY_START);
    // NowCast of (missing, 20.3, 20.3) = 20.3 → 41, the Decision's worked example.
    assertEquals(41, find(values, "S", KpiNames.AQI).value());
  }
}
