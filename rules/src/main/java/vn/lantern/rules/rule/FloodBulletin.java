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
    return "Mực nước sông "
        + station.river()
        + " tại "
        + station.name()
        + ": "
        + position(levels, value, vietnamese());
  }

  /**
   * The upstream warning for a downstream station, in Vietnamese and English, e.g. "Lũ thượng
   * nguồn: Mực nước sông Thu Bồn tại Nông Sơn: 13,40 m, trên BĐ2 0,40 m, đang lên 0,30 m/h; dự kiến
   * ảnh hưởng Hội An sau khoảng 8 giờ / Upstream flood: Thu Bồn at Nông Sơn: 13.40 m, 0.40 m above
   * BĐ2, rising 0.30 m/h; expected to reach Hội An in about 8 hours".
   *
   * @param risePerHour the latest rate of change in m/h, or NaN when not yet known
   */
  public static String upstream(
      Condition.Station station,
      List<Condition.Level> levels,
      double value,
      double risePerHour,
      Condition.Downstream downstream) {
    DecimalFormatSymbols vi = vietnamese();
    DecimalFormatSymbols en = DecimalFormatSymbols.getInstance(Locale.ROOT);
    String leadVi = new DecimalFormat("0.#", vi).format(downstream.leadHours());
    String leadEn = new DecimalFormat("0.#", en).format(downstream.leadHours());
    return "Lũ thượng nguồn: "
        + text(station, levels, value)
        + trend(risePerHour, vi, "đang lên", "đang xuống")
        + "; dự kiến ảnh hưởng "
        + downstream.name()
        + " sau khoảng "
        + leadVi
        + " giờ"
        + (downstream.unconfirmed() ? " (thời gian truyền lũ chưa xác nhận)" : "")
        + " / Upstream flood: "
        + station.river()
        + " at "
        + station.name()
        + ": "
        + positionEn(levels, value, en)
        + trend(risePerHour, en, "rising", "falling")
        + "; expected to reach "
        + downstream.name()
        + " in about "
        + leadEn
        + " hours"
        + (downstream.unconfirmed() ? " (lead time unconfirmed)" : "");
  }

  private static String trend(
      double perHour, DecimalFormatSymbols symbols, String rising, String falling) {
    DecimalFormat metres = new DecimalFormat("0.00", symbols);
    if (Double.isNaN(perHour) || metres.format(Math.abs(perHour)).equals(metres.format(0))) {
      return "";
    }
    return ", "
        + (perHour > 0 ? rising : falling)
        + " "
        + metres.format(Math.abs(perHour))
        + " m/h";
  }

  /** The highest level reached, or -1 below the first. */
  private static int reached(List<Condition.Level> levels, double value) {
    int reached = -1;
    for (int i = 0; i < levels.size(); i++) {
      if (value >= levels.get(i).value()) {
        reached = i;
      }
    }
    return reached;
  }

  private static String position(
      List<Condition.Level> levels, double value, DecimalFormatSymbols symbols) {
    return describe(levels, value, symbols, "ở mức %1$s", "trên %1$s %2$s m", "dưới %1$s %2$s m");
  }

  private static String positionEn(
      List<Condition.Level> levels, double value, DecimalFormatSymbols symbols) {
    return describe(levels, value, symbols, "at %1$s", "%2$s m above %1$s", "%2$s m below %1$s");
  }

  /**
   * The level in metres and where it stands against the highest alarm level reached (or the lowest,
   * when none is): the wordings take the level's name ({@code %1$s}) and the gap ({@code %2$s}).
   */
  private static String describe(
      List<Condition.Level> levels,
      double value,
      DecimalFormatSymbols symbols,
      String atLevel,
      String above,
      String below) {
    DecimalFormat metres = new DecimalFormat("0.00", symbols);
    int reached = reached(levels, value);
    Condition.Level reference = levels.get(Math.max(reached, 0));
    String gap = metres.format(Math.abs(value - reference.value()));
    String wording = gap.equals(metres.format(0)) ? atLevel : reached >= 0 ? above : below;
    return metres.format(value) + " m, " + String.format(wording, reference.name(), gap);
  }

  /** Decimal comma, no grouping: how Vietnamese bulletins write levels. */
  private static DecimalFormatSymbols vietnamese() {
    DecimalFormatSymbols symbols = DecimalFormatSymbols.getInstance(Locale.forLanguageTag("vi-VN"));
    symbols.setDecimalSeparator(',');
    symbols.setMinusSign('-');
    return symbols;
  }
}
