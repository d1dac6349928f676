package vn.lantern.sim.scenario;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the short durations used in scenario files and on the command line: {@code 90s}, {@code
 * 5m}, {@code 1h30m}, {@code 2d}, {@code 250ms}, or ISO-8601 such as {@code PT15M}.
 */
public final class Durations {
  private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h|d)");

  private Durations() {}

  /**
   * @throws IllegalArgumentException naming the accepted forms when {@code text} is not a duration
   */
  public static Duration parse(String text) {
    String value = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
    if (value.startsWith("pt") || value.startsWith("p")) {
      try {
        return Duration.parse(value.toUpperCase(Locale.ROOT));
      } catch (RuntimeException e) {
        throw invalid(text);
      }
    }
    Matcher m = PART.matcher(value);
    long nanos = 0;
    int end = 0;
    while (m.find() && m.start() == end) {
      double amount = Double.parseDouble(m.group(1));
      long unitNanos =
          switch (m.group(2)) {
            case "ms" -> 1_000_000L;
            case "s" -> 1_000_000_000L;
            case "m" -> 60_000_000_000L;
            case "h" -> 3_600_000_000_000L;
            default -> 86_400_000_000_000L;
          };
      nanos += Math.round(amount * unitNanos);
      end = m.end();
    }
    if (end == 0 || end != value.length()) {
      throw invalid(text);
    }
    return Duration.ofNanos(nanos);
  }

  /** The short form, e.g. {@code 1h30m}, used in logs and reports. */
  public static String format(Duration d) {
    long s = d.getSeconds();
    if (s == 0) {
      return d.toMillis() + "ms";
    }
    StringBuilder out = new StringBuilder();
    if (s >= 86_400) {
      out.append(s / 86_400).append('d');
      s %= 86_400;
    }
    if (s >= 3600) {
      out.append(s / 3600).append('h');
      s %= 3600;
    }
    if (s >= 60) {
      out.append(s / 60).append('m');
      s %= 60;
    }
    if (s > 0) {
      out.append(s).append('s');
    }
    return out.toString();
  }

  private static IllegalArgumentException invalid(String text) {
    return new IllegalArgumentException(
        "'" + text + "' is not a duration; use e.g. 90s, 5m, 1h30m, 2d or PT15M");
  }
}
