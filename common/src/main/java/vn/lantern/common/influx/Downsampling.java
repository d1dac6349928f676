package vn.lantern.common.influx;

/**
 * Where history lives in InfluxDB 1.x: raw points in the database's default retention policy
 * ({@code autogen}, kept for the raw retention), and 5-minute and 1-hour {@code mean}, {@code min}
 * and {@code max} written by continuous queries into their own, longer retention policies. Long
 * ranges read the downsampled tiers, so a year's chart scans hourly points, not raw ones.
 */
public enum Downsampling {
  /** Raw points as written, field {@code metric}. */
  RAW("autogen", 0),
  /** 5-minute aggregates, fields {@code mean_metric}, {@code min_metric}, {@code max_metric}. */
  FIVE_MINUTES("lantern_5m", 300),
  /** 1-hour aggregates, same fields. */
  HOURLY("lantern_1h", 3600);

  private final String retentionPolicy;
  private final long intervalSeconds;

  Downsampling(String retentionPolicy, long intervalSeconds) {
    this.retentionPolicy = retentionPolicy;
    this.intervalSeconds = intervalSeconds;
  }

  /** Ranges up to this long read raw points, so recent minutes not yet downsampled show. */
  public static final long RAW_MAX_SPAN_MS = 2L * 24 * 3600 * 1000;

  /** Ranges up to this long read at most 5-minute aggregates. */
  public static final long FIVE_MINUTES_MAX_SPAN_MS = 31L * 24 * 3600 * 1000;

  /**
   * The tier for a query over {@code spanMs} grouped by {@code resolutionSeconds}: raw up to 2
   * days, 5-minute up to 31 days, hourly beyond; never a tier coarser than the resolution.
   */
  public static Downsampling forQuery(long spanMs, long resolutionSeconds) {
    if (spanMs > FIVE_MINUTES_MAX_SPAN_MS && resolutionSeconds % HOURLY.intervalSeconds == 0) {
      return HOURLY;
    }
    if (spanMs > RAW_MAX_SPAN_MS && resolutionSeconds % FIVE_MINUTES.intervalSeconds == 0) {
      return FIVE_MINUTES;
    }
    return RAW;
  }

  public String retentionPolicy() {
    return retentionPolicy;
  }

  /** The aggregation interval, 0 for raw points. */
  public long intervalSeconds() {
    return intervalSeconds;
  }

  /**
   * InfluxQL selecting the mean, min and max of {@code field} per {@code GROUP BY} interval as
   * {@code value}, {@code min} and {@code max}, from this tier of {@code measurement}. Both names
   * must already be validated metric names; they are quoted here.
   */
  public String select(String field, String measurement) {
    String from = "\"" + retentionPolicy + "\".\"" + measurement + "\"";
    if (this == RAW) {
      String f = "\"" + field + "\"";
      return "SELECT mean("
          + f
          + ") AS \"value\", min("
          + f
          + ") AS \"min\", max("
          + f
          + ") AS \"max\" FROM "
          + from;
    }
    return "SELECT mean(\"mean_"
        + field
        + "\") AS \"value\", min(\"min_"
        + field
        + "\") AS \"min\", max(\"max_"
        + field
        + "\") AS \"max\" FROM "
        + from;
  }
}
