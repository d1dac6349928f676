package vn.lantern.ioc;

/**
 * Names of the meters of KPIs, the live stream and the IOC push, as they appear on {@code
 * /metrics}: {@code lantern_<area>_<what>_<unit>}, counters ending in {@code _total}.
 */
public final class IocMeters {
  /** KPI windows computed. */
  public static final String KPI_WINDOWS = "lantern_kpi_windows_total";

  /** KPI snapshots that could not be handed to the writer. */
  public static final String KPI_WRITE_FAILURES = "lantern_kpi_write_failures_total";

  /** KPI snapshots delivered to the IOC, per endpoint. */
  public static final String IOC_DELIVERIES = "lantern_ioc_deliveries_total";

  /** Failed IOC deliveries, per endpoint. */
  public static final String IOC_FAILURES = "lantern_ioc_failures_total";

  /** IOC deliveries given up on, per endpoint. */
  public static final String IOC_DEAD_LETTERS = "lantern_ioc_dead_letters_total";

  /** Open live-stream connections. */
  public static final String STREAM_SUBSCRIBERS = "lantern_stream_subscribers";

  private IocMeters() {}
}
