package vn.lantern.ioc.kpi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.lantern.rules.regulation.Regulations;

/** The river-level KPI reads its alarm levels from the stations of the flood regulation pack. */
class StationLevelsTest {

  @Test
  void kpiLevelsComeFromTheStationTable(@TempDir Path dataDir) {
    KpiConfig config = KpiConfig.defaults().withStations(Regulations.load(dataDir).floodStations());
    assertEquals(
        new FloodLevels(1.0, 1.5, 2.0, "Hội An", "Thu Bồn"),
        config.floodLevels("hoi-an", "Tram Hoi An"));
    assertEquals(
        new FloodLevels(2.0, 3.0, 4.0, "Cầu Lâu", "Thu Bồn"),
        config.floodLevels("dien-ban", "Cau Lau"));
    assertEquals(
        new FloodLevels(6.5, 8.0, 9.0, "Ái Nghĩa", "Vu Gia"),
        config.floodLevels("any-zone", "Ái Nghĩa"));
    assertEquals(
        new FloodLevels(11.0, 13.0, 15.0, "Nông Sơn", "Thu Bồn"),
        config.floodLevels("any-zone", "Nông Sơn"));
  }

  @Test
  void theKpiCarriesTheBulletinLine(@TempDir Path dataDir) {
    FloodLevels hoiAn =
        KpiConfig.defaults()
            .withStations(Regulations.load(dataDir).floodStations())
            .floodLevels("hoi-an", null);
    assertEquals("Mực nước sông Thu Bồn tại Hội An: 2,18 m, trên BĐ3 0,18 m", hoiAn.bulletin(2.18));
  }

  @Test
  void configuredLevelsStillWin(@TempDir Path dataDir) {
    KpiConfig d = KpiConfig.defaults();
    Map<String, FloodLevels> configured = new HashMap<>();
    configured.put("hoi-an", new FloodLevels(1.1, 1.6, 2.1));
    KpiConfig config =
        new KpiConfig(
                d.windowMs(),
                d.graceMs(),
                d.liveRefreshMs(),
                d.aqiRefreshMs(),
                d.timeZone(),
                d.completenessPeriodMs(),
                d.missedIntervalsOffline(),
                d.defaultIntervalMs(),
                d.intervalsMs(),
                configured,
                d.defaultWastewaterColumn(),
                d.wastewaterColumns(),
                d.wastewaterLimits(),
                d.streamBufferSize(),
                d.ioc(),
                d.streamMaxSubscribers(),
                d.streamMaxSubscribersPerUser())
            .withStations(Regulations.load(dataDir).floodStations());
    assertEquals(new FloodLevels(1.1, 1.6, 2.1), config.floodLevels("hoi-an", "Tram Hoi An"));
    assertEquals(
        new FloodLevels(1.7, 2.2, 2.7, "Tam Kỳ", "Tam Kỳ"),
        config.floodLevels("tam-ky", "Tram Tam Ky"));
  }
}
