package vn.lantern.ioc.kpi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Each KPI rolls up the zone tree the way docs/kpis.md says: worst-of with the zone it comes from,
 * sums, and shares recomputed from their parts; a zone with nothing below keeps its own value.
 */
class ZoneRollupTest {
  // city <- ward <- park, and a second ward
  private static final Map<String, String> PARENTS =
      Map.of("ward", "city", "park", "ward", "ward-2", "city");

  @Test
  void worstOfKpisNameTheZoneTheyComeFrom() {
    List<KpiValue> rolled =
        ZoneRollup.rollUp(
            List.of(
                aqi("ward", 80, "PM2.5"), aqi("park", 160, "PM10"), aqi("ward-2", 120, "PM2.5")),
            PARENTS);
    KpiValue city = find(rolled, "city", KpiNames.AQI);
    assertEquals(160, city.value());
    assertEquals("park", city.attributes().get(ZoneRollup.WORST_ZONE));
    assertEquals("PM10", city.attributes().get("dominant"));
    assertEquals(3, city.attributes().get(ZoneRollup.ZONES));
    assertEquals(160, find(rolled, "ward", KpiNames.AQI).value());
    assertEquals(120, find(rolled, "ward-2", KpiNames.AQI).value());
  }

  @Test
  void dailyAqiRollsUpToTheWorstZoneWithItsFields() {
    List<KpiValue> rolled =
        ZoneRollup.rollUp(
            List.of(daily("ward", 80, "PM2.5", 9), daily("park", 160, "PM10", 7)), PARENTS);
    KpiValue city = find(rolled, "city", KpiNames.AQI_DAILY);
    assertEquals(160, city.value(), "the worst zone's, not a mean of indices");
    assertEquals("park", city.attributes().get(ZoneRollup.WORST_ZONE));
    assertEquals("PM10", city.attributes().get("dominant"));
    assertEquals(true, city.attributes().get(AirQualityKpis.PROVISIONAL));
    assertEquals(7, city.attributes().get(AirQualityKpis.HOURS));
  }

  @Test
  void aZoneWithNothingBelowKeepsItsOwnValue() {
    KpiValue own = aqi("ward-2", 120, "PM2.5");
    List<KpiValue> rolled = ZoneRollup.rollUp(List.of(own), PARENTS);
    assertSame(own, find(rolled, "ward-2", KpiNames.AQI));
    assertEquals("ward-2", find(rolled, "city", KpiNames.AQI).attributes().get("worstZone"));
  }

  @Test
  void riverLevelsCompareByAlarmLevelFirst() {
    KpiValue low = river("ward", 4.2, 0);
    KpiValue alarm = river("park", 2.1, 3);
    KpiValue city =
        find(ZoneRollup.rollUp(List.of(low, alarm), PARENTS), "city", "river_level_max");
    assertEquals(2.1, city.value());
    assertEquals(3, city.attributes().get("alarmLevel"));
    assertEquals("park", city.attributes().get("worstZone"));
  }

  @Test
  void countsAndEnergyAreSummed() {
    List<KpiValue> rolled =
        ZoneRollup.rollUp(
            List.of(
                KpiValue.of("ward", null, KpiNames.ENERGY_KWH_TODAY, 100.5, 1),
                KpiValue.of("park", null, KpiNames.ENERGY_KWH_TODAY, 900, 2),
                KpiValue.of("park", null, KpiNames.ALERTS_OPEN_CRITICAL, 2, 2),
                KpiValue.of("ward-2", null, KpiNames.ALERTS_OPEN_CRITICAL, 1, 2)),
            PARENTS);
    assertEquals(1000.5, find(rolled, "city", KpiNames.ENERGY_KWH_TODAY).value());
    assertEquals(2, find(rolled, "city", KpiNames.ENERGY_KWH_TODAY).ts());
    assertEquals(3, find(rolled, "city", KpiNames.ALERTS_OPEN_CRITICAL).value());
    assertEquals(2, find(rolled, "ward", KpiNames.ALERTS_OPEN_CRITICAL).value());
  }

  @Test
  void sharesAreRecomputedOverAllDevicesAndAverages() {
    List<KpiValue> rolled =
        ZoneRollup.rollUp(
            List.of(
                online("ward", 1, 4),
                online("park", 9, 10),
                KpiValue.of("ward", null, KpiNames.DATA_COMPLETENESS_PCT, 50, 1),
                KpiValue.of("park", null, KpiNames.DATA_COMPLETENESS_PCT, 100, 1),
                compliance("ward", 50, 10),
                compliance("park", 100, 30)),
            PARENTS);
    KpiValue online = find(rolled, "city", KpiNames.DEVICES_ONLINE_PCT);
    assertEquals(71.43, online.value(), "10 of 14 devices, not the mean of 25 % and 90 %");
    assertEquals(10, online.attributes().get("online"));
    assertEquals(14, online.attributes().get("devices"));
    assertEquals(85.71, find(rolled, "city", KpiNames.DATA_COMPLETENESS_PCT).value());
    KpiValue compliance = find(rolled, "ward", KpiNames.WASTEWATER_COMPLIANCE_PCT);
    assertEquals(87.5, compliance.value());
    assertEquals(40, compliance.attributes().get("averages"));
  }

  @Test
  void customKpisStayWithTheirZone() {
    List<KpiValue> rolled =
        ZoneRollup.rollUp(
            List.of(new KpiValue("park", null, "flow_max", 12, 1, Map.of("custom", true))),
            PARENTS);
    assertEquals(1, rolled.size());
    assertFalse(lookup(rolled, "ward", "flow_max").isPresent());
  }

  @Test
  void aLoopInTheParentsDoesNotHang() {
    List<KpiValue> rolled =
        ZoneRollup.rollUp(
            List.of(KpiValue.of("a", null, KpiNames.STREET_LIGHT_FAULTS, 1, 1)),
            Map.of("a", "b", "b", "a"));
    assertEquals(1, find(rolled, "b", KpiNames.STREET_LIGHT_FAULTS).value());
  }

  private static KpiValue aqi(String zone, int value, String dominant) {
    return new KpiValue(
        zone, null, KpiNames.AQI, value, 1, Map.of("band", "x", "dominant", dominant));
  }

  private static KpiValue daily(String zone, int value, String dominant, int hours) {
    return new KpiValue(
        zone,
        null,
        KpiNames.AQI_DAILY,
        value,
        1,
        AirQualityKpis.dailyAttributes(value, dominant, hours, true));
  }

  private static KpiValue river(String zone, double level, int alarm) {
    return new KpiValue(
        zone, null, KpiNames.RIVER_LEVEL_MAX, level, 1, Map.of("alarmLevel", alarm));
  }

  private static KpiValue online(String zone, int online, int devices) {
    return new KpiValue(
        zone,
        null,
        KpiNames.DEVICES_ONLINE_PCT,
        100.0 * online / devices,
        1,
        Map.of("online", online, "devices", devices));
  }

  private static KpiValue compliance(String zone, double pct, int averages) {
    return new KpiValue(
        zone, null, KpiNames.WASTEWATER_COMPLIANCE_PCT, pct, 1, Map.of("averages", averages));
  }

  private static KpiValue find(List<KpiValue> values, String zone, String kpi) {
    return lookup(values, zone, kpi).orElseThrow(() -> new AssertionError(zone + " " + kpi));
  }

  private static Optional<KpiValue> lookup(List<KpiValue> values, String zone, String kpi) {
    return values.stream().filter(v -> v.zone().equals(zone) && v.kpi().equals(kpi)).findFirst();
  }
}
