package vn.lantern.ingest.store;

import java.util.regex.Pattern;
import vn.lantern.common.config.ConfigLoader.ConfigException;

/**
 * How long InfluxDB keeps each tier of history, as InfluxQL durations ({@code 90d}, {@code 52w},
 * {@code INF}).
 *
 * @param raw raw readings, KPIs and alert events (the {@code autogen} policy)
 * @param fiveMinutes 5-minute mean/min/max
 * @param hourly 1-hour mean/min/max
 */
public record RetentionSettings(String raw, String fiveMinutes, String hourly) {
  private static final Pattern DURATION = Pattern.compile("[1-9][0-9]{0,5}[hdw]|INF");

  public RetentionSettings {
    check("retention.raw", raw);
    check("retention.fiveMinutes", fiveMinutes);
    check("retention.hourly", hourly);
  }

  /** 90 days of raw points, 3 years of 5-minute and 10 years of hourly aggregates. */
  public static RetentionSettings defaults() {
    return new RetentionSettings("90d", "1095d", "3650d");
  }

  private static void check(String key, String value) {
    if (value == null || !DURATION.matcher(value).matches()) {
      throw new ConfigException(
          key + " must be an InfluxQL duration such as 90d, 52w or INF, not " + value);
    }
  }
}
