package vn.lantern.ioc.kpi;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import vn.lantern.common.telemetry.DeviceRef;
import vn.lantern.rules.alert.Alert;
import vn.lantern.rules.rule.Severity;

/**
 * Computes the reading-based KPIs (everything but the AQI, which comes from InfluxDB's hourly
 * means) of each zone and of each site in it, as of the end of a window, from the devices' recent
 * series. Deterministic: the same readings and window give the same values, wherever and whenever
 * they arrived.
 */
final class KpiCalculator {
  /**
   * A cabinet switched on but drawing less than this (kW) has dark lamps: an operational default (a
   * 9-circuit LED cabinet draws about 8 kW, an idle one about 0.02), not a legal figure.
   */
  static final double DARK_CABINET_KW = 0.1;

  /** Wastewater compliance is judged on 5-minute averages. */
  static final long WASTEWATER_BUCKET_MS = 5 * 60_000L;

  private static final long HOUR_MS = 3_600_000L;

  private final KpiConfig config;
  private final ZoneId timeZone;
  private final DisasterRisk risk;

  /**
   * @param risk the disaster risk figures, or null: no {@code disaster_risk_level}
   */
  KpiCalculator(KpiConfig config, DisasterRisk risk) {
    this.config = config;
    this.risk = risk;
    this.timeZone = ZoneId.of(config.timeZone());
  }

  /** Start of the local day containing {@code ts}. */
  long dayStart(long ts) {
    return Instant.ofEpochMilli(ts)
        .atZone(timeZone)
        .toLocalDate()
        .atStartOfDay(timeZone)
        .toInstant()
        .toEpochMilli();
  }

  /** Start of the local day after the one containing {@code ts}: where that day ends. */
  long dayEnd(long ts) {
    return Instant.ofEpochMilli(ts)
        .atZone(timeZone)
        .toLocalDate()
        .plusDays(1)
        .atStartOfDay(timeZone)
        .toInstant()
        .toEpochMilli();
  }

  /**
   * The KPIs of the zones accepted by {@code zones} for the window {@code [start, end)}.
   *
   * @param devices the registered devices
   * @param series the devices' recent series, by device id
   * @param openAlerts the open alerts
   */
  List<KpiValue> compute(
      Collection<DeviceRef> devices,
      Map<String, DeviceSeries> series,
      Collection<Alert> openAlerts,
      List<KpiDefinition> definitions,
      long start,
      long end,
      Predicate<String> zones) {
    Map<String, Map<String, List<DeviceRef>>> byZone = new TreeMap<>();
    for (DeviceRef d : devices) {
      if (zones.test(d.zone())) {
        byZone
            .computeIfAbsent(d.zone(), z -> new TreeMap<>())
            .computeIfAbsent(d.site(), s -> new ArrayList<>())
            .add(d);
      }
    }
    List<KpiValue> out = new ArrayList<>();
    for (Map.Entry<String, Map<String, List<DeviceRef>>> zone : byZone.entrySet()) {
      new ZoneComputation(zone.getKey(), zone.getValue(), series, start, end, out).run();
      for (KpiDefinition d : definitions) {
        if (d.appliesTo(zone.getKey())) {
          custom(d, zone.getKey(), zone.getValue(), series, end, out);
        }
      }
      alerts(zone.getKey(), openAlerts, end, out);
    }
    return out;
  }

  /** A custom KPI per site and for the zone, over the samples of its window before {@code end}. */
  private static void custom(
      KpiDefinition d,
      String zone,
      Map<String, List<DeviceRef>> sites,
      Map<String, DeviceSeries> series,
      long end,
      List<KpiValue> out) {
    long from = end - d.window().toMillis();
    List<Double> zoneValues = new ArrayList<>();
    boolean any = false;
    for (Map.Entry<String, List<DeviceRef>> site : sites.entrySet()) {
      if (d.site() != null && !d.site().equals(site.getKey())) {
        continue;
      }
      // Samples of every device in time order, so "last" is the site's latest.
      TreeMap<Long, Double> samples = new TreeMap<>();
      boolean hasDevices = false;
      for (DeviceRef device : site.getValue()) {
        if (device.type().equals(d.type())) {
          hasDevices = true;
          DeviceSeries s = series.get(device.id());
          if (s != null) {
            samples.putAll(s.series(d.metric()).subMap(from, true, end, false));
          }
        }
      }
      if (!hasDevices) {
        continue;
      }
      any = true;
      List<Double> values = new ArrayList<>(samples.values());
      double value = d.aggregate(values);
      if (!Double.isNaN(value)) {
        out.add(
            new KpiValue(zone, site.getKey(), d.name(), round(value), end, Map.of("custom", true)));
      }
      zoneValues.addAll(values);
    }
    double value = d.aggregate(zoneValues);
    if (any && !Double.isNaN(value)) {
      out.add(new KpiValue(zone, null, d.name(), round(value), end, Map.of("custom", true)));
    }
  }

  private void alerts(String zone, Collection<Alert> openAlerts, long end, List<KpiValue> out) {
    int critical = 0;
    int warning = 0;
    for (Alert a : openAlerts) {
      if (a.zone().equals(zone)) {
        if (a.severity() == Severity.CRITICAL) {
          critical++;
        } else if (a.severity() == Severity.WARNING) {
          warning++;
        }
      }
    }
    out.add(KpiValue.of(zone, null, KpiNames.ALERTS_OPEN_CRITICAL, critical, end));
    out.add(KpiValue.of(zone, null, KpiNames.ALERTS_OPEN_WARNING, warning, end));
  }

  /** The KPIs of one zone: each site's, then the zone's roll-up. */
  private final class ZoneComputation {
    private final String zone;
    private final Map<String, List<DeviceRef>> sites;
    private final Map<String, DeviceSeries> series;
    private final long start;
    private final long end;
    private final long today;
    private final List<KpiValue> out;

    ZoneComputation(
        String zone,
        Map<String, List<DeviceRef>> sites,
        Map<String, DeviceSeries> series,
        long start,
        long end,
        List<KpiValue> out) {
      this.zone = zone;
      this.sites = sites;
      this.series = series;
      this.start = start;
      this.end = end;
      this.today = dayStart(end - 1);
      this.out = out;
    }

    void run() {
      riverLevel();
      rain(KpiNames.RAIN_1H, HOUR_MS);
      rain(KpiNames.RAIN_24H, 24 * HOUR_MS);
      wastewater();
      energy();
      streetLights();
      devices();
      disasterRisk();
    }

    /** The zone's disaster risk level from the rain and river KPIs just computed. */
    private void disasterRisk() {
      if (risk == null) {
        return;
      }
      List<KpiValue> zoneValues = out.stream().filter(v -> v.zone().equals(zone)).toList();
      KpiValue level = risk.zoneLevel(zone, zoneValues, config, end);
      if (level != null) {
        out.add(level);
      }
    }

    private List<DeviceSeries> of(List<DeviceRef> devices, String type) {
      List<DeviceSeries> list = new ArrayList<>();
      for (DeviceRef d : devices) {
        if (d.type().equals(type)) {
          list.add(series.computeIfAbsent(d.id(), id -> new DeviceSeries(d)));
        }
      }
      return list;
    }

    /** Highest current level (the latest reading of each station, at most a day old). */
    private void riverLevel() {
      KpiValue worst = null;
      for (Map.Entry<String, List<DeviceRef>> site : sites.entrySet()) {
        double max = Double.NaN;
        for (DeviceSeries s : of(site.getValue(), "water_level")) {
          Map.Entry<Long, Double> latest = s.series("level").floorEntry(end - 1);
          if (latest != null && latest.getKey() >= end - 24 * HOUR_MS) {
            max = Double.isNaN(max) ? latest.getValue() : Math.max(max, latest.getValue());
          }
        }
        if (Double.isNaN(max)) {
          continue;
        }
        Map<String, Object> attrs = new LinkedHashMap<>();
        FloodLevels levels = config.floodLevels(zone, site.getKey());
        if (levels != null) {
          attrs.put("alarm1", levels.alarm1());
          attrs.put("alarm2", levels.alarm2());
          attrs.put("alarm3", levels.alarm3());
          attrs.put("alarmLevel", levels.reached(max));
          String bulletin = levels.bulletin(max);
          if (bulletin != null) {
            attrs.put("bulletin", bulletin);
          }
        }
        KpiValue v = new KpiValue(zone, site.getKey(), KpiNames.RIVER_LEVEL_MAX, max, end, attrs);
        out.add(v);
        if (worst == null || alarmOf(v) > alarmOf(worst) || v.value() > worst.value()) {
          worst = v;
        }
      }
      if (worst != null) {
        Map<String, Object> attrs = new LinkedHashMap<>(worst.attributes());
        attrs.put("station", worst.site());
        out.add(new KpiValue(zone, null, KpiNames.RIVER_LEVEL_MAX, worst.value(), end, attrs));
      }
    }

    private int alarmOf(KpiValue v) {
      return v.attributes().get("alarmLevel") instanceof Integer i ? i : 0;
    }

    /** Rain over the period before the window's end: each site's wettest gauge, zone's wettest. */
    private void rain(String kpi, long period) {
      double zoneMax = Double.NaN;
      for (Map.Entry<String, List<DeviceRef>> site : sites.entrySet()) {
        double siteMax = Double.NaN;
        for (DeviceSeries s : of(site.getValue(), "rain_gauge")) {
          double sum = 0;
          for (double mm : s.series("rain").subMap(end - period, true, end, false).values()) {
            sum += mm;
          }
          siteMax = Double.isNaN(siteMax) ? sum : Math.max(siteMax, sum);
        }
        if (!Double.isNaN(siteMax)) {
          out.add(KpiValue.of(zone, site.getKey(), kpi, round(siteMax), end));
          zoneMax = Double.isNaN(zoneMax) ? siteMax : Math.max(zoneMax, siteMax);
        }
      }
      if (!Double.isNaN(zoneMax)) {
        out.add(KpiValue.of(zone, null, kpi, round(zoneMax), end));
      }
    }

    /** Share of today's complete 5-minute averages within the site's limits; exceedances. */
    private void wastewater() {
      int zoneTotal = 0;
      int zoneExceeded = 0;
      boolean any = false;
      for (Map.Entry<String, List<DeviceRef>> site : sites.entrySet()) {
        List<DeviceSeries> stations = of(site.getValue(), "wastewater");
        if (stations.isEmpty()) {
          continue;
        }
        any = true;
        WastewaterLimits limits = config.wastewaterLimits(zone, site.getKey());
        int total = 0;
        int exceeded = 0;
        for (DeviceSeries s : stations) {
          for (Map<String, Double> averages : buckets(s).values()) {
            total++;
            if (!limits.complies(averages)) {
              exceeded++;
            }
          }
        }
        emitWastewater(site.getKey(), total, exceeded);
        zoneTotal += total;
        zoneExceeded += exceeded;
      }
      if (any) {
        emitWastewater(null, zoneTotal, zoneExceeded);
      }
    }

    private void emitWastewater(String site, int total, int exceeded) {
      if (total > 0) {
        out.add(
            new KpiValue(
                zone,
                site,
                KpiNames.WASTEWATER_COMPLIANCE_PCT,
                round(100.0 * (total - exceeded) / total),
                end,
                Map.of("averages", total)));
      }
      out.add(KpiValue.of(zone, site, KpiNames.WASTEWATER_EXCEEDANCES_TODAY, exceeded, end));
    }

    /**
     * A station's 5-minute averages of today that ended by the window's end, by bucket start;
     * buckets with the station calibrating or in fault (status ≠ 0) are left out.
     */
    private Map<Long, Map<String, Double>> buckets(DeviceSeries s) {
      Map<Long, Map<String, double[]>> sums = new TreeMap<>();
      Set<Long> excluded = new java.util.HashSet<>();
      long lastBucketEnd = end - Math.floorMod(end, WASTEWATER_BUCKET_MS);
      for (String metric : DeviceSeries.TRACKED.get("wastewater")) {
        for (Map.Entry<Long, Double> e :
            s.series(metric).subMap(today, true, lastBucketEnd, false).entrySet()) {
          long bucket = e.getKey() - Math.floorMod(e.getKey(), WASTEWATER_BUCKET_MS);
          if (metric.equals("status")) {
            if (e.getValue() != 0) {
              excluded.add(bucket);
            }
            continue;
          }
          double[] acc =
              sums.computeIfAbsent(bucket, b -> new HashMap<>())
                  .computeIfAbsent(metric, m -> new double[2]);
          acc[0] += e.getValue();
          acc[1]++;
        }
      }
      Map<Long, Map<String, Double>> averages = new TreeMap<>();
      sums.forEach(
          (bucket, metrics) -> {
            if (!excluded.contains(bucket)) {
              Map<String, Double> avg = new HashMap<>();
              metrics.forEach((m, acc) -> avg.put(m, acc[0] / acc[1]));
              averages.put(bucket, avg);
            }
          });
      return averages;
    }

    /** kWh today from the meters' cumulative registers, today's peak kW, the window's mean pf. */
    private void energy() {
      double zoneKwh = 0;
      double zonePeak = Double.NaN;
      double zonePfSum = 0;
      int zonePfCount = 0;
      boolean any = false;
      for (Map.Entry<String, List<DeviceRef>> site : sites.entrySet()) {
        List<DeviceSeries> meters = of(site.getValue(), "energy");
        if (meters.isEmpty()) {
          continue;
        }
        double kwh = 0;
        double peak = Double.NaN;
        double pfSum = 0;
        int pfCount = 0;
        boolean counted = false;
        for (DeviceSeries s : meters) {
          NavigableMap<Long, Double> register = s.series("energy");
          if (!register.isEmpty()) {
            CounterIncrease increase = new CounterIncrease();
            Map.Entry<Long, Double> baseline = register.lowerEntry(today);
            if (baseline != null) {
              increase.add(baseline.getValue());
            }
            register.subMap(today, true, end, false).values().forEach(increase::add);
            kwh += increase.total();
            counted = true;
          }
          for (double kw : s.series("power").subMap(today, true, end, false).values()) {
            peak = Double.isNaN(peak) ? kw : Math.max(peak, kw);
          }
          for (double pf : s.series("pf").subMap(start, true, end, false).values()) {
            pfSum += pf;
            pfCount++;
          }
        }
        any = true;
        if (counted) {
          out.add(KpiValue.of(zone, site.getKey(), KpiNames.ENERGY_KWH_TODAY, round(kwh), end));
          zoneKwh += kwh;
        }
        if (!Double.isNaN(peak)) {
          out.add(KpiValue.of(zone, site.getKey(), KpiNames.POWER_PEAK_KW, round(peak), end));
          zonePeak = Double.isNaN(zonePeak) ? peak : Math.max(zonePeak, peak);
        }
        if (pfCount > 0) {
          out.add(KpiValue.of(zone, site.getKey(), KpiNames.PF_AVG, round(pfSum / pfCount), end));
          zonePfSum += pfSum;
          zonePfCount += pfCount;
        }
      }
      if (any) {
        out.add(KpiValue.of(zone, null, KpiNames.ENERGY_KWH_TODAY, round(zoneKwh), end));
        if (!Double.isNaN(zonePeak)) {
          out.add(KpiValue.of(zone, null, KpiNames.POWER_PEAK_KW, round(zonePeak), end));
        }
        if (zonePfCount > 0) {
          out.add(KpiValue.of(zone, null, KpiNames.PF_AVG, round(zonePfSum / zonePfCount), end));
        }
      }
    }

    /**
     * Street-light cabinets in fault: switched on ({@code on} = 1) in their latest reading, which
     * is recent enough for the device to count as online, yet drawing less than {@link
     * #DARK_CABINET_KW} (its lamps dark). Silent cabinets are counted by devices online instead.
     */
    private void streetLights() {
      int zoneFaults = 0;
      boolean any = false;
      for (Map.Entry<String, List<DeviceRef>> site : sites.entrySet()) {
        List<DeviceSeries> cabinets = of(site.getValue(), "street_light");
        if (cabinets.isEmpty()) {
          continue;
        }
        long recent = end - config.missedIntervalsOffline() * config.intervalMs("street_light");
        int faults = 0;
        for (DeviceSeries s : cabinets) {
          Map.Entry<Long, Double> on = s.series("on").floorEntry(end - 1);
          if (on == null || on.getKey() < recent || on.getValue() < 0.5) {
            continue;
          }
          Double kw = s.series("power").get(on.getKey());
          if (kw != null && kw < DARK_CABINET_KW) {
            faults++;
          }
        }
        any = true;
        zoneFaults += faults;
        out.add(KpiValue.of(zone, site.getKey(), KpiNames.STREET_LIGHT_FAULTS, faults, end));
      }
      if (any) {
        out.add(KpiValue.of(zone, null, KpiNames.STREET_LIGHT_FAULTS, zoneFaults, end));
      }
    }

    /**
     * Devices online (reported within {@code missedIntervalsOffline} intervals of their type) and
     * data completeness (distinct readings received over the period vs those expected from each
     * device's interval, a device's surplus not making up for another's silence).
     */
    private void devices() {
      int zoneDevices = 0;
      int zoneOnline = 0;
      double zoneReceived = 0;
      double zoneExpected = 0;
      long period = config.completenessPeriodMs();
      for (Map.Entry<String, List<DeviceRef>> site : sites.entrySet()) {
        int online = 0;
        double received = 0;
        double expected = 0;
        for (DeviceRef d : site.getValue()) {
          DeviceSeries s = series.computeIfAbsent(d.id(), id -> new DeviceSeries(d));
          long interval = config.intervalMs(d.type());
          if (s.lastReportedAt() >= end - (long) config.missedIntervalsOffline() * interval) {
            online++;
          }
          double want = (double) period / interval;
          received += Math.min(want, s.reportsIn(end - period, end));
          expected += want;
        }
        int count = site.getValue().size();
        out.add(
            new KpiValue(
                zone,
                site.getKey(),
                KpiNames.DEVICES_ONLINE_PCT,
                round(100.0 * online / count),
                end,
                Map.of("online", online, "devices", count)));
        out.add(
            KpiValue.of(
                zone,
                site.getKey(),
                KpiNames.DATA_COMPLETENESS_PCT,
                round(100.0 * received / expected),
                end));
        zoneDevices += count;
        zoneOnline += online;
        zoneReceived += received;
        zoneExpected += expected;
      }
      out.add(
          new KpiValue(
              zone,
              null,
              KpiNames.DEVICES_ONLINE_PCT,
              round(100.0 * zoneOnline / zoneDevices),
              end,
              Map.of("online", zoneOnline, "devices", zoneDevices)));
      out.add(
          KpiValue.of(
              zone,
              null,
              KpiNames.DATA_COMPLETENESS_PCT,
              round(100.0 * zoneReceived / zoneExpected),
              end));
    }
  }

  /** Two decimals: enough for every KPI, and stable values compare equal between refreshes. */
  static double round(double value) {
    return Math.round(value * 100.0) / 100.0;
  }
}
