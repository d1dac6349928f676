package vn.lantern.common.aqi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class VnAqiTest {
  private static final double NA = Double.NaN;
  private static final long H = VnAqi.HOUR_MS;

  /** A local day starting at 00:00 (17:00 UTC the day before, hour-aligned as the KPI's are). */
  private static final long DAY = 1_764_435_600_000L;

  /** Puts {@code value} as the hourly mean of {@code p} at hours {@code from} to {@code to}. */
  private static void put(
      NavigableMap<Long, Map<AqiPollutant, Double>> means,
      AqiPollutant p,
      int from,
      int to,
      double value) {
    for (int h = from; h <= to; h++) {
      means.computeIfAbsent(DAY + h * H, k -> new EnumMap<>(AqiPollutant.class)).put(p, value);
    }
  }

  @Test
  void workedExampleOfTheDecision() {
    // Decision 1459/QD-TCMT: PM2.5 NowCast 20.3 µg/m³ gives AQI 41.
    VnAqi.Result result = VnAqi.hourly(Map.of(AqiPollutant.PM25, 20.3)).orElseThrow();
    assertEquals(41, result.aqi());
    assertEquals(AqiBand.GOOD, result.band());
    assertEquals(AqiPollutant.PM25, result.dominant());
  }

  @ParameterizedTest
  @EnumSource(AqiPollutant.class)
  void everyBreakpointMapsToItsIndex(AqiPollutant pollutant) {
    double[] bp = pollutant.breakpoints();
    for (int i = 0; i < bp.length; i++) {
      double expected = i == bp.length - 1 && bp.length == 8 ? 500 : AqiPollutant.INDEX[i];
      if (pollutant == AqiPollutant.O3_8H && i == bp.length - 1) {
        assertTrue(VnAqi.subIndex(pollutant, bp[i]).isEmpty(), "O3 8h has no index beyond 300");
        continue;
      }
      assertEquals(expected, VnAqi.subIndex(pollutant, bp[i]).getAsDouble(), 1e-9, "at " + bp[i]);
      if (i > 0) {
        // Just below a breakpoint the index is just below the breakpoint's index: no jumps.
        double below = VnAqi.subIndex(pollutant, bp[i] - 1e-6).getAsDouble();
        assertEquals(AqiPollutant.INDEX[i], below, 1e-3, "below " + bp[i]);
      }
    }
  }

  @Test
  void interpolatesWithinASegment() {
    // PM10 200 µg/m³ lies between 150 (100) and 250 (150): 100 + 50/100 * 50 = 125.
    assertEquals(125, VnAqi.subIndex(AqiPollutant.PM10, 200).getAsDouble(), 1e-9);
    assertEquals(500, VnAqi.subIndex(AqiPollutant.PM25, 900).getAsDouble(), 1e-9);
    assertTrue(VnAqi.subIndex(AqiPollutant.PM25, -1).isEmpty());
  }

  @Test
  void bandsFollowTheDecision() {
    assertEquals(AqiBand.GOOD, AqiBand.of(50));
    assertEquals(AqiBand.MODERATE, AqiBand.of(51));
    assertEquals(AqiBand.MODERATE, AqiBand.of(100));
    assertEquals(AqiBand.POOR, AqiBand.of(101));
    assertEquals(AqiBand.BAD, AqiBand.of(200));
    assertEquals(AqiBand.VERY_BAD, AqiBand.of(300));
    assertEquals(AqiBand.HAZARDOUS, AqiBand.of(301));
    assertEquals("#ff7e00", AqiBand.POOR.color());
    assertEquals("#7e0023", AqiBand.HAZARDOUS.color());
  }

  @Test
  void nowCastWeighsRecentHoursMore() {
    // c = 40, 20 (w* = 0.5): (40 + 0.5*20) / 1.5 = 33.33
    assertEquals(100.0 / 3, VnAqi.nowCast(new double[] {40, 20}).getAsDouble(), 1e-9);
    // steady air: the NowCast is the mean
    double[] steady = new double[12];
    java.util.Arrays.fill(steady, 30);
    assertEquals(30, VnAqi.nowCast(steady).getAsDouble(), 1e-9);
    // w* = 0.8 is used as is: (50 + 0.8*40) / 1.8
    assertEquals((50 + 0.8 * 40) / 1.8, VnAqi.nowCast(new double[] {50, 40}).getAsDouble(), 1e-9);
  }

  @Test
  void missingHoursWeighZeroButKeepTheirPlace() {
    // c1 = 40, c2 missing, c3 = 20: w = 0.5, weights 1 and 0.25.
    double expected = (40 + 0.25 * 20) / 1.25;
    assertEquals(expected, VnAqi.nowCast(new double[] {40, NA, 20}).getAsDouble(), 1e-9);
  }

  @Test
  void needsTwoOfTheLastThreeHours() {
    assertTrue(VnAqi.nowCast(new double[] {40, NA, NA, 30, 30}).isEmpty());
    assertTrue(VnAqi.nowCast(new double[] {NA, NA, 40, 30}).isEmpty());
    assertTrue(VnAqi.nowCast(new double[] {NA, 35, 40}).isPresent());
    assertTrue(VnAqi.nowCast(new double[] {}).isEmpty());
  }

  @Test
  void hourlyNeedsParticulatesAndNamesTheDominantPollutant() {
    assertTrue(VnAqi.hourly(Map.of(AqiPollutant.NO2, 150.0)).isEmpty());
    VnAqi.Result result =
        VnAqi.hourly(Map.of(AqiPollutant.PM25, 20.3, AqiPollutant.NO2, 150.0)).orElseThrow();
    assertEquals(75, result.aqi());
    assertEquals(AqiPollutant.NO2, result.dominant());
    assertEquals(AqiBand.MODERATE, result.band());
  }

  @Test
  void zoneAqiIsTheWorstStation() {
    VnAqi.Result a = VnAqi.hourly(Map.of(AqiPollutant.PM25, 20.3)).orElseThrow();
    VnAqi.Result b = VnAqi.hourly(Map.of(AqiPollutant.PM10, 200.0)).orElseThrow();
    assertEquals(125, VnAqi.zone(List.of(a, b)).getAsInt());
    assertTrue(VnAqi.zone(List.of()).isEmpty());
  }

  @Test
  void dailyAqiTakesTheDayMeanOfParticulatesAndThePeakHourOfGases() {
    NavigableMap<Long, Map<AqiPollutant, Double>> means = new TreeMap<>();
    // PM2.5: 50 from 00:00 to 11:00, 80 from 12:00 to 23:00; the day mean is 65.
    // Sub-index 100 + (150 − 100) / (80 − 50) × (65 − 50) = 125. (By its worst hour, 80, it
    // would be 150: the daily AQI uses the mean, not the hourly peak.)
    put(means, AqiPollutant.PM25, 0, 11, 50);
    put(means, AqiPollutant.PM25, 12, 23, 80);
    // NO2: 100 all day but 400 at 08:00. Its highest hour gives 100 + 50 / 500 × (400 − 200) =
    // 120 (its day mean, 112.5, would give 56): below PM2.5, so PM2.5 stays dominant.
    put(means, AqiPollutant.NO2, 0, 23, 100);
    put(means, AqiPollutant.NO2, 8, 8, 400);

    VnAqi.Result day = VnAqi.daily(means, DAY, DAY + 24 * H).orElseThrow();

    assertEquals(125, day.aqi());
    assertEquals(AqiPollutant.PM25, day.dominant());
    assertEquals(AqiBand.POOR, day.band());
  }

  @Test
  void dailyAqiUsesTheHighestEightHourMeanOfOzone() {
    NavigableMap<Long, Map<AqiPollutant, Double>> means = new TreeMap<>();
    put(means, AqiPollutant.PM25, 0, 23, 10); // 10 / 25 × 50 = 20
    // O3: 60 all day, 180 from 10:00 to 17:00. Highest hour 180: 1-hour index 50 + 50 / 40 × 20
    // = 75. Highest 8-hour mean 180 (10:00–17:00): 8-hour index 150 + 50 / 40 × (180 − 170) =
    // 162.5, rounded 163, band bad: the 8-hour value governs.
    put(means, AqiPollutant.O3_1H, 0, 23, 60);
    put(means, AqiPollutant.O3_1H, 10, 17, 180);

    VnAqi.Result day = VnAqi.daily(means, DAY, DAY + 24 * H).orElseThrow();

    assertEquals(163, day.aqi());
    assertEquals(AqiPollutant.O3_8H, day.dominant());
    assertEquals("O3", day.dominant().displayName());
    assertEquals(AqiBand.BAD, day.band());
  }

  @Test
  void anEightHourMeanReachesIntoTheDayBeforeAndNeedsSixHours() {
    NavigableMap<Long, Map<AqiPollutant, Double>> means = new TreeMap<>();
    put(means, AqiPollutant.PM25, 0, 23, 10);
    // O3 180 from 22:00 the day before to 05:00: the 8-hour mean ending at 05:00 is 180 → 163.
    put(means, AqiPollutant.O3_1H, -2, 5, 180);
    assertEquals(163, VnAqi.daily(means, DAY, DAY + 24 * H).orElseThrow().aqi());

    // Only 5 hours of O3 (01:00–05:00): no 8-hour mean; the 1-hour peak 180 gives 75.
    NavigableMap<Long, Map<AqiPollutant, Double>> sparse = new TreeMap<>();
    put(sparse, AqiPollutant.PM25, 0, 23, 10);
    put(sparse, AqiPollutant.O3_1H, 1, 5, 180);
    VnAqi.Result day = VnAqi.daily(sparse, DAY, DAY + 24 * H).orElseThrow();
    assertEquals(75, day.aqi());
    assertEquals(AqiPollutant.O3_1H, day.dominant());
  }

  @Test
  void aboveTheEightHourTableTheOneHourValueGoverns() {
    NavigableMap<Long, Map<AqiPollutant, Double>> means = new TreeMap<>();
    put(means, AqiPollutant.PM25, 0, 23, 10);
    // O3 450 for 8 hours: the 8-hour table ends at 400, so no 8-hour index; the 1-hour index is
    // 200 + 100 / 400 × (450 − 400) = 212.5, rounded 213.
    put(means, AqiPollutant.O3_1H, 9, 16, 450);
    VnAqi.Result day = VnAqi.daily(means, DAY, DAY + 24 * H).orElseThrow();
    assertEquals(213, day.aqi());
    assertEquals(AqiPollutant.O3_1H, day.dominant());
    assertEquals(AqiBand.VERY_BAD, day.band());
  }

  @Test
  void dailyAqiNeedsParticulates() {
    NavigableMap<Long, Map<AqiPollutant, Double>> means = new TreeMap<>();
    put(means, AqiPollutant.NO2, 0, 23, 100);
    assertTrue(VnAqi.daily(means, DAY, DAY + 24 * H).isEmpty());
  }

  @Test
  void everyBandHasAdviceForNormalAndSensitivePeopleInBothLanguages() {
    for (AqiBand band : AqiBand.values()) {
      Map<String, Object> advice = HealthAdvice.of(band);
      for (String group : List.of("normal", "sensitive")) {
        @SuppressWarnings("unchecked")
        Map<String, String> text = (Map<String, String>) advice.get(group);
        assertTrue(!text.get("vi").isBlank() && !text.get("en").isBlank(), band + " " + group);
      }
      assertEquals(true, advice.get("paraphrased"), "not the Decision's official wording");
    }
  }
}
