package vn.lantern.sim.signal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import vn.lantern.sim.scenario.DeviceGroup;
import vn.lantern.sim.scenario.DeviceSpec;
import vn.lantern.sim.scenario.DeviceType;
import vn.lantern.sim.scenario.Excursion;
import vn.lantern.sim.scenario.Fleet;
import vn.lantern.sim.scenario.ScenarioEvent;

class SignalModelsTest {
  /** Monday 00:00 at the sites (UTC+7). */
  private static final Instant MONDAY = Instant.parse("2026-11-15T17:00:00Z");

  private static final Duration WEEK = Duration.ofDays(7);

  @ParameterizedTest
  @EnumSource(DeviceType.class)
  void everyMetricStaysInItsRangeOverASimulatedWeek(DeviceType type) {
    List<Map<String, Double>> week = simulate(type, 7, List.of(), WEEK);
    Map<String, Ranges.Range> ranges = Ranges.of(type);
    for (Map<String, Double> sample : week) {
      assertEquals(ranges.keySet(), sample.keySet(), "metrics of " + type);
      sample.forEach(
          (metric, v) ->
              assertTrue(
                  Double.isFinite(v) && ranges.get(metric).contains(v),
                  type + "." + metric + " = " + v + " outside " + ranges.get(metric)));
    }
  }

  @ParameterizedTest
  @EnumSource(DeviceType.class)
  void sameSeedGivesSameDataAndAnotherSeedDoesNot(DeviceType type) {
    Duration day = Duration.ofDays(1);
    assertEquals(simulate(type, 7, List.of(), day), simulate(type, 7, List.of(), day));
    assertNotEquals(simulate(type, 7, List.of(), day), simulate(type, 8, List.of(), day));
  }

  @Test
  void pm25HasRushHoursAndCalmNightsWithinTheTypicalBand() {
    List<Map<String, Double>> week = simulate(DeviceType.AIR_QUALITY, 7, List.of(), WEEK);
    double rush = meanAtHours(week, Duration.ofMinutes(1), "pm25", 17.5, 18.5);
    double night = meanAtHours(week, Duration.ofMinutes(1), "pm25", 2, 4);
    assertTrue(rush > 1.8 * night, "rush " + rush + " vs night " + night);
    long typical = week.stream().filter(s -> s.get("pm25") >= 5 && s.get("pm25") <= 80).count();
    assertTrue(typical > 0.9 * week.size(), "PM2.5 mostly in the catalogue's typical 5-80");
  }

  @Test
  void temperatureIsDiurnal() {
    List<Map<String, Double>> week = simulate(DeviceType.WEATHER, 7, List.of(), WEEK);
    double afternoon = meanAtHours(week, Duration.ofMinutes(5), "temperature", 14, 15);
    double dawn = meanAtHours(week, Duration.ofMinutes(5), "temperature", 2, 3);
    assertTrue(afternoon > dawn + 5, "afternoon " + afternoon + " vs pre-dawn " + dawn);
    double humidAfternoon = meanAtHours(week, Duration.ofMinutes(5), "humidity", 14, 15);
    double humidDawn = meanAtHours(week, Duration.ofMinutes(5), "humidity", 2, 3);
    assertTrue(humidDawn > humidAfternoon + 10);
  }

  @Test
  void energyCounterOnlyGrowsAndFollowsTheWorkingDay() {
    List<Map<String, Double>> week = simulate(DeviceType.ENERGY, 7, List.of(), WEEK);
    for (int i = 1; i < week.size(); i++) {
      assertTrue(week.get(i).get("energy") >= week.get(i - 1).get("energy"));
    }
    double day = meanAtHours(week, Duration.ofMinutes(1), "power", 9, 11);
    double night = meanAtHours(week, Duration.ofMinutes(1), "power", 1, 3);
    assertTrue(day > 2.5 * night, "day " + day + " kW vs night " + night + " kW");
    // Energy over the week is the integral of power: check it against the samples' own average.
    double meanKw = week.stream().mapToDouble(s -> s.get("power")).average().orElseThrow();
    double kwh = week.get(week.size() - 1).get("energy") - week.get(0).get("energy");
    assertEquals(meanKw * 24 * 7, kwh, meanKw * 24 * 7 * 0.02);
  }

  @Test
  void streetLightsAreOnFromDuskToDawn() {
    List<Map<String, Double>> week = simulate(DeviceType.STREET_LIGHT, 7, List.of(), WEEK);
    assertEquals(1.0, meanAtHours(week, Duration.ofMinutes(5), "on", 20, 23));
    assertEquals(1.0, meanAtHours(week, Duration.ofMinutes(5), "on", 0, 5));
    assertEquals(0.0, meanAtHours(week, Duration.ofMinutes(5), "on", 7, 17));
  }

  @Test
  void wastewaterExcursionLeavesColumnBOnlyDuringItsWindow() {
    Excursion cod = new Excursion("dev", "cod", Duration.ofHours(10), Duration.ofHours(14), 240);
    List<Map<String, Double>> day =
        simulate(DeviceType.WASTEWATER, 7, List.of(cod), Duration.ofDays(1));
    for (int minute = 0; minute < day.size(); minute++) {
      double v = day.get(minute).get("cod");
      double hour = minute / 60.0;
      if (hour >= 10.5 && hour <= 13.5) {
        assertTrue(v > 150, "COD above QCVN 40 column B (150 mg/L) at " + hour + " h: " + v);
      } else if (hour < 10 || hour > 14) {
        assertTrue(v < 150, "COD compliant at " + hour + " h: " + v);
      }
    }
  }

  static List<Map<String, Double>> simulate(
      DeviceType type, long seed, List<ScenarioEvent> events, Duration span) {
    DeviceGroup group =
        new DeviceGroup("dev", type, "tam-ky", null, null, null, 1, null, null, null, null, null);
    DeviceSpec spec = new DeviceSpec("dev-01", group, "secret", null, Duration.ZERO);
    SplittableRandom random = Fleet.randomFor(seed, spec.id());
    SignalModel model = SignalModels.create(spec, events, random.split());
    List<Map<String, Double>> out = new ArrayList<>();
    for (Duration t = Duration.ZERO; t.compareTo(span) < 0; t = t.plus(group.interval())) {
      out.add(model.sample(MONDAY.plus(t), t, random));
    }
    return out;
  }

  /** Mean of a metric over samples whose local hour is in [from, to). */
  private static double meanAtHours(
      List<Map<String, Double>> samples, Duration interval, String metric, double from, double to) {
    double sum = 0;
    int n = 0;
    for (int i = 0; i < samples.size(); i++) {
      double hour = (i * interval.toMillis() / 3_600_000.0) % 24;
      if (hour >= from && hour < to) {
        sum += samples.get(i).get(metric);
        n++;
      }
    }
    return sum / n;
  }
}
