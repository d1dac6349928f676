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
}
