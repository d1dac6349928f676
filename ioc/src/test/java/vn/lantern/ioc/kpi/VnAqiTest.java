package vn.lantern.ioc.kpi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class VnAqiTest {
  private static final double NA = Double.NaN;

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
}
