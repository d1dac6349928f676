package vn.lantern.common.telemetry;

/**
 * The one name rule of metrics, device types (InfluxDB measurements) and KPI names: {@value #RULE}.
 * A char loop rather than a regex because it runs for every reading.
 */
public final class MetricName {
  /** The rule, as error messages state it. */
  public static final String RULE = "[a-z][a-z0-9_]{0,63}";

  private static final int MAX_LENGTH = 64;

  private MetricName() {}

  /** Whether {@code name} follows {@link #RULE}; null never does. */
  public static boolean isWellFormed(String name) {
    if (name == null) {
      return false;
    }
    int length = name.length();
    if (length == 0 || length > MAX_LENGTH) {
      return false;
    }
    char first = name.charAt(0);
    if (first < 'a' || first > 'z') {
      return false;
    }
    for (int i = 1; i < length; i++) {
      char c = name.charAt(i);
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) {
        return false;
      }
    }
    return true;
  }
}
