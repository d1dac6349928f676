package vn.lantern.common.influx;

/**
 * Names of the meters of the InfluxDB batching writers (KPIs, alert events), as they appear on
 * {@code /metrics}: {@code lantern_<area>_<what>_<unit>}, counters ending in {@code _total}.
 */
public final class InfluxMeters {
  /** Points written, per writer. */
  public static final String POINTS_WRITTEN = "lantern_influx_points_written_total";

  /** Failed writes (retried), per writer. */
  public static final String WRITE_FAILURES = "lantern_influx_write_failures_total";

  /** Points dropped because the buffer was full, per writer. */
  public static final String POINTS_DROPPED = "lantern_influx_points_dropped_total";

  private InfluxMeters() {}
}
