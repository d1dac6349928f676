package vn.lantern.ioc.kpi;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import vn.lantern.ioc.push.IocSettings;
import vn.lantern.rules.regulation.FloodStation;
import vn.lantern.rules.regulation.WastewaterSite;

/**
 * The KPI engine's configuration: windows, the expected reporting interval of each device type,
 * flood alarm levels and wastewater limits per station, the live stream and the IOC push.
 *
 * @param windowMs length of the tumbling window KPIs are computed, stored and pushed on
 * @param graceMs how long after a window's end readings for it are still awaited
 * @param liveRefreshMs how often KPIs touched by new readings or alerts are refreshed for the
 *     console between windows
 * @param aqiRefreshMs how often the AQI is recomputed from InfluxDB's hourly means
 * @param timeZone the zone "today" is counted in
 * @param completenessPeriodMs period data completeness is measured over
 * @param missedIntervalsOffline a device is offline after this many missed reporting intervals
 * @param defaultIntervalMs expected reporting interval of a type not in {@code intervalsMs}
 * @param intervalsMs expected reporting interval per device type
 * @param floodLevels alarm levels keyed by site name or zone id (the site wins), overriding the
 *     stations of the regulation packs (see {@link #withStations})
 * @param defaultWastewaterColumn QCVN 40 column (A or B) of a site not in {@code wastewaterColumns}
 * @param wastewaterColumns QCVN 40 column per site name or zone id
 * @param wastewaterLimits explicit limits per site name or zone id, overriding the column
 * @param streamBufferSize events kept for resuming live streams (Last-Event-ID)
 * @param ioc push of KPI snapshots to the provincial IOC
 * @param streamMaxSubscribers live streams ({@code /api/v1/stream}) open at once on the node
 * @param streamMaxSubscribersPerUser live streams one user has open at once
 */
public record KpiConfig(
    long windowMs,
    long graceMs,
    long liveRefreshMs,
    long aqiRefreshMs,
    String timeZone,
    long completenessPeriodMs,
    int missedIntervalsOffline,
    long defaultIntervalMs,
    Map<String, Long> intervalsMs,
    Map<String, FloodLevels> floodLevels,
    String defaultWastewaterColumn,
    Map<String, String> wastewaterColumns,
    Map<String, WastewaterLimits> wastewaterLimits,
    int streamBufferSize,
    IocSettings ioc,
    int streamMaxSubscribers,
    int streamMaxSubscribersPerUser) {

  /** Environment variable → config key. */
  public static final Map<String, String> ENV =
      Map.ofEntries(
          Map.entry("LANTERN_KPI_WINDOW_MS", "windowMs"),
          Map.entry("LANTERN_KPI_TIME_ZONE", "timeZone"),
          Map.entry("LANTERN_KPI_WASTEWATER_COLUMN", "defaultWastewaterColumn"),
          Map.entry("LANTERN_IOC_WEBHOOK_URL", "ioc.webhookUrl"),
          Map.entry("LANTERN_IOC_WEBHOOK_SECRET", "ioc.webhookSecret"),
          Map.entry("LANTERN_IOC_MQTT_HOST", "ioc.mqttHost"),
          Map.entry("LANTERN_IOC_MQTT_PORT", "ioc.mqttPort"),
          Map.entry("LANTERN_IOC_MQTT_TOPIC", "ioc.mqttTopic"),
          Map.entry("LANTERN_IOC_MQTT_USER", "ioc.mqttUsername"),
          Map.entry("LANTERN_IOC_MQTT_PASSWORD", "ioc.mqttPassword"),
          Map.entry("LANTERN_STREAM_MAX_SUBSCRIBERS", "streamMaxSubscribers"));

  /** The documented defaults (flood alarm levels come from the regulation packs' stations). */
  public static KpiConfig defaults() {
    return new KpiConfig(
        60_000,
        5_000,
        1_000,
        60_000,
        "Asia/Ho_Chi_Minh",
        3_600_000,
        3,
        60_000,
        Map.of(
            "air_quality", 60_000L,
            "water_level", 300_000L,
            "rain_gauge", 300_000L,
            "wastewater", 60_000L,
            "energy", 60_000L,
            "weather", 300_000L,
            "noise", 60_000L,
            "street_light", 300_000L),
        Map.of(),
        "B",
        Map.of(),
        Map.of(),
        1000,
        IocSettings.defaults(),
        1000,
        20);
  }

  /**
   * This configuration with the alarm levels of {@code stations} (the flood pack's station table,
   * the one the flood rules are seeded from) under each station's zone, site names and name; the
   * configured {@code floodLevels} still win.
   */
  public KpiConfig withStations(List<FloodStation> stations) {
    Map<String, FloodLevels> levels = new HashMap<>();
    for (FloodStation station : stations) {
      List<Double> v = station.levels();
      FloodLevels station3 =
          new FloodLevels(v.get(0), v.get(1), v.get(2), station.name(), station.river());
      if (station.zone() != null) {
        levels.put(station.zone(), station3);
      }
      station.sites().forEach(site -> levels.put(site, station3));
      levels.put(station.name(), station3);
    }
    levels.putAll(floodLevels);
    return withFloodLevels(levels);
  }

  /**
   * This configuration with each wastewater site of the packs judged at its Cmax = C × Kq × Kf (its
   * QCVN 40 column scaled by the site's coefficients, the ones its seeded rules use); limits
   * configured for a site by name still win.
   */
  public KpiConfig withWastewaterSites(List<WastewaterSite> sites) {
    Map<String, WastewaterLimits> limits = new HashMap<>();
    for (WastewaterSite site : sites) {
      String column =
          wastewaterColumns.getOrDefault(
              site.site(), wastewaterColumns.getOrDefault(site.zone(), defaultWastewaterColumn));
      limits.put(site.site(), WastewaterLimits.column(column).at(site.coefficients()));
    }
    limits.putAll(wastewaterLimits);
    return new KpiConfig(
        windowMs,
        graceMs,
        liveRefreshMs,
        aqiRefreshMs,
        timeZone,
        completenessPeriodMs,
        missedIntervalsOffline,
        defaultIntervalMs,
        intervalsMs,
        floodLevels,
        defaultWastewaterColumn,
        wastewaterColumns,
        Map.copyOf(limits),
        streamBufferSize,
        ioc,
        streamMaxSubscribers,
        streamMaxSubscribersPerUser);
  }

  /** This configuration with {@code levels} as its alarm levels, everything else unchanged. */
  public KpiConfig withFloodLevels(Map<String, FloodLevels> levels) {
    return new KpiConfig(
        windowMs,
        graceMs,
        liveRefreshMs,
        aqiRefreshMs,
        timeZone,
        completenessPeriodMs,
        missedIntervalsOffline,
        defaultIntervalMs,
        intervalsMs,
        Map.copyOf(levels),
        defaultWastewaterColumn,
        wastewaterColumns,
        wastewaterLimits,
        streamBufferSize,
        ioc,
        streamMaxSubscribers,
        streamMaxSubscribersPerUser);
  }

  /** The expected reporting interval of a device type. */
  public long intervalMs(String type) {
    return intervalsMs.getOrDefault(type, defaultIntervalMs);
  }

  /** The alarm levels of a station, by site name first, then zone id; null if unknown. */
  public FloodLevels floodLevels(String zone, String site) {
    FloodLevels bySite = site == null ? null : floodLevels.get(site);
    return bySite != null ? bySite : floodLevels.get(zone);
  }

  /** The wastewater limits of a site. */
  public WastewaterLimits wastewaterLimits(String zone, String site) {
    WastewaterLimits explicit = wastewaterLimits.get(site);
    if (explicit == null) {
      explicit = wastewaterLimits.get(zone);
    }
    if (explicit != null) {
      return explicit;
    }
    String column = wastewaterColumns.get(site);
    if (column == null) {
      column = wastewaterColumns.getOrDefault(zone, defaultWastewaterColumn);
    }
    return WastewaterLimits.column(column);
  }
}
