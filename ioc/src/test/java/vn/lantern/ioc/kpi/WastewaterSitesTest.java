package vn.lantern.ioc.kpi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import vn.lantern.common.wastewater.DischargeCoefficients;
import vn.lantern.common.wastewater.DischargeCoefficients.ReceivingWater;
import vn.lantern.common.wastewater.DischargeCoefficients.WaterBody;
import vn.lantern.rules.regulation.WastewaterSite;

/** The compliance KPI judges a pack's wastewater site at its Cmax = C × Kq × Kf. */
class WastewaterSitesTest {
  private static final String PARK = "kcn-dien-nam-dien-ngoc";

  @Test
  void aSiteIsJudgedAtItsCmax() {
    // A river of 30 m³/s (Kq 0.9), a plant of 300 m³/24h (Kf 1.1): Kq × Kf = 0.99.
    WastewaterSite plant =
        new WastewaterSite(
            PARK,
            "XLNT tập trung",
            new DischargeCoefficients(
                new ReceivingWater(WaterBody.RIVER, 30, Double.NaN, false), 300),
            "discharge permit");
    KpiConfig config = KpiConfig.defaults().withWastewaterSites(List.of(plant));

    WastewaterLimits limits = config.wastewaterLimits(PARK, "XLNT tập trung");
    assertEquals(148.5, limits.cod()); // column B 150 × 0.99
    assertEquals(99, limits.tss());
    assertEquals(9.9, limits.nh4());
    assertEquals(5.5, limits.phMin(), "pH takes Kq = Kf = 1");
    assertEquals(40, limits.temperature(), "temperature takes Kq = Kf = 1");
    assertFalse(limits.complies(Map.of("cod", 149.0)), "above Cmax though below C");
    assertTrue(limits.complies(Map.of("cod", 148.0)));
    assertEquals(150, config.wastewaterLimits(PARK, "another outlet").cod(), "other sites: C");
  }

  /**
   * BOD5, colour, total N and total P count in the compliance KPI (QCVN 40:2011/BTNMT table 1,
   * columns A and B), scaled like COD except colour.
   */
  @Test
  void theRemainingQcvn40ParametersCount() {
    WastewaterLimits b = WastewaterLimits.column("B");
    assertTrue(b.complies(Map.of("bod5", 50.0, "color", 150.0, "total_n", 40.0, "total_p", 6.0)));
    assertFalse(b.complies(Map.of("bod5", 51.0)), "BOD5 above 50");
    assertFalse(b.complies(Map.of("color", 151.0)), "colour above 150 Pt-Co");
    assertFalse(b.complies(Map.of("total_n", 41.0)), "total N above 40");
    assertFalse(b.complies(Map.of("total_p", 6.5)), "total P above 6");
    WastewaterLimits a = WastewaterLimits.column("A");
    assertEquals(
        List.of(30.0, 50.0, 20.0, 4.0), List.of(a.bod5(), a.color(), a.totalN(), a.totalP()));

    DischargeCoefficients k =
        new DischargeCoefficients(new ReceivingWater(WaterBody.RIVER, 30, Double.NaN, false), 300);
    WastewaterLimits site = b.at(k);
    assertEquals(49.5, site.bod5(), 1e-9); // × 0.99
    assertEquals(39.6, site.totalN(), 1e-9);
    assertEquals(5.94, site.totalP(), 1e-9);
    assertEquals(150, site.color(), "colour takes Kq = Kf = 1");
  }
}
