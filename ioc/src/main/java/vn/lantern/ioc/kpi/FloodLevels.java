package vn.lantern.ioc.kpi;

/**
 * Flood alarm levels 1/2/3 of a river station (m, national datum).
 *
 * @param alarm1 alarm level 1
 * @param alarm2 alarm level 2
 * @param alarm3 alarm level 3
 */
public record FloodLevels(double alarm1, double alarm2, double alarm3) {

  /** The highest alarm level reached by {@code level}: 0 (below alarm 1) to 3. */
  public int reached(double level) {
    if (level >= alarm3) {
      return 3;
    }
    if (level >= alarm2) {
      return 2;
    }
    return level >= alarm1 ? 1 : 0;
  }
}
