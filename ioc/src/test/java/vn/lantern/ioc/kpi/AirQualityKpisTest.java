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
import vn.lantern.common.aqi.AqiPollutant;

/** The AQI KPIs from hourly means: current AQI, zone = worst station, hours above 100 today. */
class AirQualityKpisTest {
  private static final long HOUR = AirQualityKpis.HOUR_MS;
  private static final long DAY_START = 1_700_000_000_000L - 1_700_000_000_000L % HOUR;
  private static final long DAY_END = DAY_START + 24 * HOUR;

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

    List<KpiValue> values = AirQualityKpis.compute(means, now, DAY_START, DAY_END);

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
  void dailyAqiIsPublishedBesideTheHourlyOneWithHealthAdvice() {
    Map<AirQualityKpis.Station, NavigableMap<Long, Map<AqiPollutant, Double>>> means =
        new HashMap<>();
    // PM2.5 90 µg/m³ in the two hours before midnight, then 60 and 40 today: the day's mean is
    // (60 + 40) / 2 = 50 → daily AQI 100 (the hours before midnight are yesterday's); the hourly
    // NowCast of (40, 60, 90, 90), w = 40/90 < 0.5 so w = 0.5: (40 + 30 + 22.5 + 11.25) / 1.875
    // = 55.33 → 100 + 50 / 30 × 5.33 = 108.9 → 109.
    means.put(
        new AirQualityKpis.Station("hoi-an", "S"), pm25(DAY_START - 2 * HOUR, 90, 90, 60, 40));
    long now = DAY_START + HOUR + 10 * 60_000;

    List<KpiValue> values = AirQualityKpis.compute(means, now, DAY_START, DAY_END);

    KpiValue daily = find(values, "S", KpiNames.AQI_DAILY);
    assertEquals(100, daily.value());
    assertEquals("moderate", daily.attributes().get("band"));
    assertEquals("PM2.5", daily.attributes().get("dominant"));
    KpiValue hourly = find(values, "S", KpiNames.AQI);
    assertEquals(109, hourly.value());
    @SuppressWarnings("unchecked")
    Map<String, Object> advice = (Map<String, Object>) hourly.attributes().get("advice");
    @SuppressWarnings("unchecked")
    Map<String, String> sensitive = (Map<String, String>) advice.get("sensitive");
    assertTrue(sensitive.get("vi").contains("hen"), sensitive.toString());
    assertEquals(true, advice.get("paraphrased"));
    assertEquals(100, find(values, null, KpiNames.AQI_DAILY).value());
    assertEquals("S", find(values, null, KpiNames.AQI_DAILY).attributes().get("station"));
  }

  @Test
  void aMissingLatestHourStillCountsWhenTheTwoBeforeArePresent() {
    Map<AirQualityKpis.Station, NavigableMap<Long, Map<AqiPollutant, Double>>> means =
        Map.of(new AirQualityKpis.Station("hoi-an", "S"), pm25(DAY_START, 20.3, 20.3, Double.NaN));
    List<KpiValue> values =
        AirQualityKpis.compute(means, DAY_START + 2 * HOUR + 60_000, DAY_START, DAY_END);
    // NowCast of (missing, 20.3, 20.3) = 20.3 → 41, the Decision's worked example.
    assertEquals(41, find(values, "S", KpiNames.AQI).value());
  }

  @Test
  void todaysDailyAqiIsProvisionalWithTheHoursThatWentIntoIt() {
    Map<AirQualityKpis.Station, NavigableMap<Long, Map<AqiPollutant, Double>>> means =
        new HashMap<>();
    // Two hours of today (60 and 40 µg/m³) and two of yesterday, which do not count.
    means.put(
        new AirQualityKpis.Station("hoi-an", "S"), pm25(DAY_START - 2 * HOUR, 90, 90, 60, 40));
    long now = DAY_START + HOUR + 10 * 60_000;

    List<KpiValue> values = AirQualityKpis.compute(means, now, DAY_START, DAY_END);

    for (String site : java.util.Arrays.asList("S", null)) {
      KpiValue daily = find(values, site, KpiNames.AQI_DAILY);
      assertEquals(true, daily.attributes().get("provisional"), daily.toString());
      assertEquals(2, daily.attributes().get("hours"), daily.toString());
    }
    assertTrue(
        find(values, "S", KpiNames.AQI).attributes().get("provisional") == null,
        "the hourly AQI is never provisional");
  }

  @Test
  void theWindowEndingAtMidnightCarriesTheFinishedDaysFinalValue() {
    Map<AirQualityKpis.Station, NavigableMap<Long, Map<AqiPollutant, Double>>> means =
        new HashMap<>();
    // 30 µg/m³ in 20 hours of the day (4 missing), then 200 in the first hour of the next day,
    // which is neither in the day's mean nor among its hours above 100.
    double[] day = new double[25];
    java.util.Arrays.fill(day, 30);
    for (int missing : new int[] {3, 4, 10, 11}) {
      day[missing] = Double.NaN;
    }
    day[24] = 200;
    means.put(new AirQualityKpis.Station("hoi-an", "S"), pm25(DAY_START, day));

    List<KpiValue> values = AirQualityKpis.compute(means, DAY_END, DAY_START, DAY_END);

    // The day's mean 30 µg/m³ → 50 + 50 / 25 × 5 = 60, final: the day is over.
    KpiValue daily = find(values, "S", KpiNames.AQI_DAILY);
    assertEquals(60, daily.value());
    assertEquals(false, daily.attributes().get("provisional"));
    assertEquals(20, daily.attributes().get("hours"));
    assertEquals(false, find(values, null, KpiNames.AQI_DAILY).attributes().get("provisional"));
    assertEquals(0, find(values, "S", KpiNames.AQI_HOURS_ABOVE_100).value());
  }
}
