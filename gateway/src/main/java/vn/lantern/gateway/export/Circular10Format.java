package vn.lantern.gateway.export;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * The text file format of Circular 10/2021/TT-BTNMT for automatic wastewater stations: file name
 * {@code PROVINCE_FACILITY_STATION_YYYYMMDDhhmmss.txt} and one TAB-separated line per parameter,
 * {@code symbol value unit timestamp status}, status {@code 00} measuring, {@code 01} calibrating,
 * {@code 02} fault. Lines end with CRLF, the usual convention of the authorities' Windows pickup
 * software; files are UTF-8.
 */
public final class Circular10Format {
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMddHHmmss");

  private Circular10Format() {}

  /** One parameter's line content. */
  public record Line(String symbol, double value, int decimals, String unit, String status) {}

  /** The file name for a cycle ending at {@code at}. */
  public static String fileName(
      String province, String facility, String station, Instant at, ZoneId zone) {
    return province + "_" + facility + "_" + station + "_" + STAMP.format(at.atZone(zone)) + ".txt";
  }

  /** The file content for a cycle ending at {@code at}. */
  public static String content(List<Line> lines, Instant at, ZoneId zone) {
    String stamp = STAMP.format(at.atZone(zone));
    StringBuilder out = new StringBuilder();
    for (Line line : lines) {
      out.append(line.symbol())
          .append('\t')
          .append(
              new BigDecimal(Double.toString(line.value()))
                  .setScale(line.decimals(), RoundingMode.HALF_UP)
                  .toPlainString())
          .append('\t')
          .append(line.unit())
          .append('\t')
          .append(stamp)
          .append('\t')
          .append(line.status())
          .append("\r\n");
    }
    return out.toString();
  }

  /**
   * Maps the analyser's {@code status} metric (0 measuring, 1 calibrating, 2 fault) to 00/01/02.
   */
  public static String status(double statusMetric) {
    long code = Math.round(statusMetric);
    return code >= 0 && code <= 2 ? "0" + code : "02";
  }
}
