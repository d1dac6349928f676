package vn.lantern.rules.rule;

import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.List;
import java.util.Locale;

/**
 * A gauge reading in the wording of the official Vietnamese flood bulletins, e.g. "Mực nước sông
 * Thu Bồn tại Hội An: 2,18 m, trên BĐ3 0,18 m": the level with a decimal comma, and its distance to
 * the highest alarm level reached (or, below the first, how far below it).
 */
public final class FloodBulletin {

  private FloodBulletin() {}

  /**
   * The bulletin line for a reading.
   *
   * @param station the station and its river
   * @param levels the alarm levels, ascending
   * @param value the water level, in metres
   */
  public static String text(Condition.Station station, List<Condition.Level> levels, double value) {
    DecimalFormat metres = new DecimalFormat("0.00", vietnamese());
    int reached = -1;
    for (int i = 0; i < levels.size(); i++) {
      if (value >= levels.get(i).value()) {
        reached = i;
      }
    }
    Condition.Level reference = levels.get(Math.max(reached, 0));
    String gap = metres.format(Math.abs(value - reference.value()));
    String position;
    if (gap.equals(metres.format(0))) {
      position = "ở mức " + reference.name();
    } else if (reached >= 0) {
      position = "trên " + reference.name() + " " + gap + " m";
    } else {
      position = "dưới " + reference.name() + " " + gap + " m";
    }
    return "Mực nước sông "
        + station.river()
        + " tại "
        + station.name()
        + ": "
        + metres.format(value)
        + " m, "
        + position;
  }

  /** Decimal comma, no grouping: how Vietnamese bulletins write levels. */
  private static DecimalFormatSymbols vietnamese() {
    DecimalFormatSymbols symbols = DecimalFormatSymbols.getInstance(Locale.forLanguageTag("vi-VN"));
    symbols.setDecimalSeparator(',');
    symbols.setMinusSign('-');
    return symbols;
  }
}
