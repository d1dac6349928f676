package vn.lantern.ioc.kpi;

import java.util.List;
import vn.lantern.rules.rule.Condition;
import vn.lantern.rules.rule.FloodBulletin;
import vn.lantern.rules.rule.Severity;

/**
 * Flood alarm levels 1/2/3 of a river station (m, national datum), with the station and its river
 * when known (for the bulletin line).
 *
 * @param alarm1 alarm level 1
 * @param alarm2 alarm level 2
 * @param alarm3 alarm level 3
 * @param station the station's name as the bulletins write it, or null
 * @param river its river, or null
 */
public record FloodLevels(
    double alarm1, double alarm2, double alarm3, String station, String river) {

  /** Levels of an unnamed station (configured by hand). */
  public FloodLevels(double alarm1, double alarm2, double alarm3) {
    this(alarm1, alarm2, alarm3, null, null);
  }

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

  /**
   * The official bulletin line for {@code level}, e.g. "Mực nước sông Thu Bồn tại Hội An: 2,18 m,
   * trên BĐ3 0,18 m", or null for an unnamed station.
   */
  public String bulletin(double level) {
    if (station == null || river == null) {
      return null;
    }
    return FloodBulletin.text(
        new Condition.Station(station, river),
        List.of(
            new Condition.Level("BĐ1", alarm1, Severity.INFO),
            new Condition.Level("BĐ2", alarm2, Severity.WARNING),
            new Condition.Level("BĐ3", alarm3, Severity.CRITICAL)),
        level);
  }
}
