package vn.lantern.common.wastewater;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import vn.lantern.common.wastewater.DischargeCoefficients.ReceivingWater;
import vn.lantern.common.wastewater.DischargeCoefficients.WaterBody;

/** Kq and Kf of QCVN 40:2011/BTNMT §2.3–2.4 at and around each boundary. */
class DischargeCoefficientsTest {

  private static double riverKq(double q) {
    return new DischargeCoefficients(
            new ReceivingWater(WaterBody.RIVER, q, Double.NaN, false), 1000)
        .kq();
  }

  private static double lakeKq(double v) {
    return new DischargeCoefficients(new ReceivingWater(WaterBody.LAKE, Double.NaN, v, false), 1000)
        .kq();
  }

  private static double kf(double f) {
    return new DischargeCoefficients(new ReceivingWater(WaterBody.RIVER, 100, Double.NaN, false), f)
        .kf();
  }

  @Test
  void kqOfRiversByFlow() {
    assertEquals(0.9, riverKq(50));
    assertEquals(1.0, riverKq(50.1));
    assertEquals(1.0, riverKq(200));
    assertEquals(1.1, riverKq(500));
    assertEquals(1.2, riverKq(500.1));
  }

  @Test
  void kqOfLakesByVolumeAndOfCoastalWaterByUse() {
    assertEquals(0.6, lakeKq(10e6));
    assertEquals(0.8, lakeKq(100e6));
    assertEquals(1.0, lakeKq(100e6 + 1));
    ReceivingWater beach = new ReceivingWater(WaterBody.COASTAL, Double.NaN, Double.NaN, true);
    ReceivingWater port = new ReceivingWater(WaterBody.COASTAL, Double.NaN, Double.NaN, false);
    assertEquals(1.0, new DischargeCoefficients(beach, 1000).kq());
    assertEquals(1.3, new DischargeCoefficients(port, 1000).kq());
  }

  @Test
  void kfByThePlantsFlow() {
    assertEquals(1.2, kf(50));
    assertEquals(1.1, kf(500));
    assertEquals(1.0, kf(5000));
    assertEquals(0.9, kf(5000.1));
  }

  @Test
  void cmaxScalesAllButTemperaturePhColourAndColiforms() {
    // A river of 30 m³/s (Kq 0.9) and a plant of 300 m³/24h (Kf 1.1): Kq × Kf = 0.99.
    DischargeCoefficients site =
        new DischargeCoefficients(new ReceivingWater(WaterBody.RIVER, 30, Double.NaN, false), 300);
    assertEquals(148.5, site.cmax("cod", 150)); // 150 × 0.99
    assertEquals(99, site.cmax("tss", 100));
    assertEquals(40, site.cmax("temperature", 40));
    assertEquals(150, site.cmax("color", 150));
    assertEquals(9, site.cmax("ph", 9));
    assertThrows(
        IllegalArgumentException.class,
        () -> new ReceivingWater(WaterBody.RIVER, Double.NaN, Double.NaN, false));
  }
}
