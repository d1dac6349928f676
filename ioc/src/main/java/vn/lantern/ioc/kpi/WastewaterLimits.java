package vn.lantern.ioc.kpi;

import java.util.Map;
import vn.lantern.common.wastewater.DischargeCoefficients;

/**
 * Discharge limits of treated industrial wastewater. The built-in columns are QCVN 40:2011/BTNMT's
 * A and B as C (the parameters the analysers measure: table 1's COD, TSS, NH4+, pH, temperature,
 * BOD5, colour, total N and total P); {@link #at} turns them into a site's Cmax = C × Kq × Kf;
 * sites under the 2025 regulation configure their own.
 *
 * @param phMin lowest pH
 * @param phMax highest pH
 * @param cod COD, mg/L
 * @param tss TSS, mg/L
 * @param nh4 NH4+-N, mg/L
 * @param temperature °C
 * @param bod5 BOD5 at 20 °C, mg/L
 * @param color true colour, Pt-Co
 * @param totalN total nitrogen, mg/L
 * @param totalP total phosphorus, mg/L
 */
public record WastewaterLimits(
    double phMin,
    double phMax,
    double cod,
    double tss,
    double nh4,
    double temperature,
    double bod5,
    double color,
    double totalN,
    double totalP) {

  /** QCVN 40:2011/BTNMT column A. */
  public static final WastewaterLimits QCVN40_A =
      new WastewaterLimits(6, 9, 75, 50, 5, 40, 30, 50, 20, 4);

  /** QCVN 40:2011/BTNMT column B. */
  public static final WastewaterLimits QCVN40_B =
      new WastewaterLimits(5.5, 9, 150, 100, 10, 40, 50, 150, 40, 6);

  /** The built-in column {@code A} or {@code B}. */
  public static WastewaterLimits column(String column) {
    return "A".equalsIgnoreCase(column) ? QCVN40_A : QCVN40_B;
  }

  /**
   * These limits at a site's Cmax: COD, TSS, NH4, BOD5, total N and total P × Kq × Kf; pH,
   * temperature and colour unchanged.
   */
  public WastewaterLimits at(DischargeCoefficients k) {
    return new WastewaterLimits(
        phMin,
        phMax,
        k.cmax("cod", cod),
        k.cmax("tss", tss),
        k.cmax("nh4", nh4),
        k.cmax("temperature", temperature),
        k.cmax("bod5", bod5),
        k.cmax("color", color),
        k.cmax("total_n", totalN),
        k.cmax("total_p", totalP));
  }

  /**
   * Whether averages of the parameters comply; a parameter that was not measured does not count
   * against compliance.
   */
  public boolean complies(Map<String, Double> averages) {
    Double ph = averages.get("ph");
    return (ph == null || (ph >= phMin && ph <= phMax))
        && within(averages.get("cod"), cod)
        && within(averages.get("tss"), tss)
        && within(averages.get("nh4"), nh4)
        && within(averages.get("temperature"), temperature)
        && within(averages.get("bod5"), bod5)
        && within(averages.get("color"), color)
        && within(averages.get("total_n"), totalN)
        && within(averages.get("total_p"), totalP);
  }

  private static boolean within(Double value, double limit) {
    return value == null || value <= limit;
  }
}
