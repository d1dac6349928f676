package vn.lantern.rules.rule;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The rule language's durations: a whole number and a unit, e.g. {@code 30s}, {@code 15m}. */
public final class Durations {
  private static final Pattern FORMAT = Pattern.compile("(\\d{1,9})(ms|s|m|h|d)");

  private Durations() {}

  /**
   * Parses a duration.
   *
   * @throws InvalidRuleException naming {@code field} when the text is not a non-negative duration
   */
  public static Duration parse(Object text, String field) {
    if (!(text instanceof String s)) {
      throw new InvalidRuleException(field, "must be a duration string such as 30s, 15m or 1h");
    }
    Matcher m = FORMAT.matcher(s.trim());
    if (!m.matches()) {
      throw new InvalidRuleException(
          field, "'" + s + "' is not a non-negative duration such as 30s, 15m or 1h");
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      default -> Duration.ofDays(n);
    };
  }

  /** Formats a duration in the rule language, using the largest exact unit. */
  public static String format(Duration d) {
    long ms = d.toMillis();
    if (ms == 0) {
      return "0s";
    }
    if (ms % 86_400_000 == 0) {
      return ms / 86_400_000 + "d";
    }
    if (ms % 3_600_000 == 0) {
      return ms / 3_600_000 + "h";
    }
    if (ms % 60_000 == 0) {
      return ms / 60_000 + "m";
    }
    if (ms % 1000 == 0) {
      return ms / 1000 + "s";
    }
    return ms + "ms";
  }
}
