package vn.lantern.ioc.kpi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.lantern.rules.regulation.FloodStation;
import vn.lantern.rules.regulation.Regulations;

/** Disaster risk levels (Decision 18/2021/QĐ-TTg) from the bundled pack's figures. */
class DisasterRiskTest {
  private static final long TS = 1_764_435_600_000L;

  @TempDir static Path dataDir;

  private static Regulations regulations() {
    return Regulations.load(dataDir);
  }

  @Test
  void rainLevelsByTheTwentyFourHourTotal() {
    DisasterRisk risk = DisasterRisk.of(regulations()).orElseThrow();
    assertEquals(0, risk.rainLevel(99.9));
    assertEquals(1, risk.rainLevel(100));
    assertEquals(2, risk.rainLevel(215));
    assertEquals(3, risk.rainLevel(400));
  }

  @Test
  void floodLevelsByTheAlarmLevels() {
    DisasterRisk risk = DisasterRisk.of(regulations()).orElseThrow();
    FloodLevels hoiAn = new FloodLevels(1.0, 1.5, 2.0, "Hội An", "Thu Bồn");
    assertEquals(0, risk.floodLevel(1.4, hoiAn), "BĐ1 alone is no risk level");
    assertEquals(1, risk.floodLevel(1.5, hoiAn), "from BĐ2");
    assertEquals(2, risk.floodLevel(2.18, hoiAn), "from BĐ3");
    assertEquals(3, risk.floodLevel(3.0, hoiAn), "from BĐ3 + 1 m");
  }

  @Test
  void theZoneTakesTheHigherOfRainAndFlood() {
    DisasterRisk risk = DisasterRisk.of(regulations()).orElseThrow();
    List<FloodStation> stations = regulations().floodStations();
    KpiConfig config = KpiConfig.defaults().withStations(stations);
    List<KpiValue> values =
        List.of(
            KpiValue.of("hoi-an", null, KpiNames.RAIN_24H, 215, TS),
            KpiValue.of("hoi-an", "Trạm Hội An", KpiNames.RIVER_LEVEL_MAX, 1.6, TS));

    KpiValue level = risk.zoneLevel("hoi-an", values, config, TS);

    // Rain 215 mm: level 2; Hội An 1.6 m (BĐ2 1.5): flood level 1; the zone: 2.
    assertEquals(2, level.value());
    assertEquals(2, level.attributes().get("rainLevel"));
    assertEquals(1, level.attributes().get("floodLevel"));
    assertEquals("#ffffe0", level.attributes().get("color"));
    assertEquals(
        "Rủi ro thiên tai do mưa lớn: cấp độ 2 (mưa 24 giờ 215 mm); do lũ: cấp độ 1 (Hội An)",
        level.attributes().get("bulletin"));

    KpiValue calm =
        risk.zoneLevel(
            "hoi-an", List.of(KpiValue.of("hoi-an", null, KpiNames.RAIN_24H, 12, TS)), config, TS);
    assertEquals(0, calm.value());
    assertEquals(Map.of("rainLevel", 0, "floodLevel", 0), calm.attributes());
    assertNull(risk.zoneLevel("hoi-an", List.of(), config, TS), "no rain gauge, no station");
  }
}
