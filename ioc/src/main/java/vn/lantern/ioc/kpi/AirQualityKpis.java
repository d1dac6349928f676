package vn.lantern.ioc.kpi;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.influxdb.InfluxDB;
import org.influxdb.dto.BoundParameterQuery;
import org.influxdb.dto.QueryResult;
import vn.lantern.common.aqi.AqiBand;
import vn.lantern.common.aqi.AqiPollutant;
import vn.lantern.common.aqi.HealthAdvice;
import vn.lantern.common.aqi.VnAqi;

/**
 * The AQI KPIs ({@code aqi} hourly and {@code aqi_daily} per station and zone, {@code
 * aqi_hours_above_100}) from the hourly means stored in InfluxDB, so late and backfilled readings
 * count. A station is a site with air quality devices; the zone's AQI is its worst station's. Each
 * AQI carries its band, colour, dominant pollutant and the band's health advice; a daily AQI also
 * carries {@code hours}, the hours of the day with data, and {@code provisional}, true while its
 * day is in progress (Decision 1459/QD-TCMT sets no minimum number of hours, so today's value is
 * published from the first hour on, marked).
 */
public final class AirQualityKpis {
  static final long HOUR_MS = VnAqi.HOUR_MS;

  /** Attribute of a daily AQI: the hours of its day with data. */
  static final String HOURS = "hours";

  /** Attribute of a daily AQI: true while its day is in progress. */
  static final String PROVISIONAL = "provisional";

  private static final String QUERY =
      "SELECT mean(\"pm25\") AS \"pm25\", mean(\"pm10\") AS \"pm10\", mean(\"o3\") AS \"o3\","
          + " mean(\"no2\") AS \"no2\", mean(\"so2\") AS \"so2\", mean(\"co\") AS \"co\""
          + " FROM \"air_quality\" WHERE time >= $from AND time < $to"
          + " GROUP BY time(1h), \"zone\", \"site\"";

  private final InfluxDB influx;
  private final String database;

  public AirQualityKpis(InfluxDB influx, String database) {
    this.influx = influx;
    this.database = database;
  }

  /** A station: (zone, site). */
  record Station(String zone, String site) {}

  /**
   * The AQI KPIs as of {@code now}: the current hour's AQI (its mean so far as c1), and the daily
   * AQI and the hours whose AQI was above 100 of the local day {@code [dayStart, dayEnd)}, which is
   * final once {@code now} reaches its end. Blocking.
   */
  public List<KpiValue> compute(long now, long dayStart, long dayEnd) {
    long currentHour = now - Math.floorMod(now, HOUR_MS);
    long from = Math.min(dayStart, currentHour) - (VnAqi.NOWCAST_HOURS - 1) * HOUR_MS;
    return compute(read(from, currentHour + HOUR_MS), now, dayStart, dayEnd);
  }

  /** Hourly means per station in {@code [from, to)}, by hour start. Blocking. */
  Map<Station, NavigableMap<Long, Map<AqiPollutant, Double>>> read(long from, long to) {
    QueryResult result =
        influx.query(
            BoundParameterQuery.QueryBuilder.newQuery(QUERY)
                .forDatabase(database)
                .bind("from", Instant.ofEpochMilli(from).toString())
                .bind("to", Instant.ofEpochMilli(to).toString())
                .create(),
            TimeUnit.MILLISECONDS);
    Map<Station, NavigableMap<Long, Map<AqiPollutant, Double>>> means = new HashMap<>();
    if (KpiStore.missingDatabase(result.getError()) || result.getResults() == null) {
      return means;
    }
    if (result.hasError()) {
      throw new IllegalStateException("hourly means query failed: " + result.getError());
    }
    for (QueryResult.Result r : result.getResults()) {
      if (KpiStore.missingDatabase(r.getError())) {
        continue;
      }
      if (r.hasError()) {
        throw new IllegalStateException("hourly means query failed: " + r.getError());
      }
      if (r.getSeries() == null) {
        continue;
      }
      for (QueryResult.Series series : r.getSeries()) {
        Map<String, String> tags = series.getTags() == null ? Map.of() : series.getTags();
        String zone = tags.get("zone");
        if (zone == null || zone.isEmpty()) {
          continue;
        }
        Station station = new Station(zone, tags.getOrDefault("site", ""));
        List<String> columns = series.getColumns();
        for (List<Object> row : series.getValues()) {
          long hour = ((Number) row.get(0)).longValue();
          for (int i = 1; i < columns.size(); i++) {
            var pollutant = AqiPollutant.ofMetric(columns.get(i));
            if (row.get(i) instanceof Number n && pollutant.isPresent()) {
              means
                  .computeIfAbsent(station, s -> new TreeMap<>())
                  .computeIfAbsent(hour, h -> new EnumMap<>(AqiPollutant.class))
                  .put(pollutant.get(), n.doubleValue());
            }
          }
        }
      }
    }
    return means;
  }

  /** The AQI KPIs from hourly means (pure). */
  static List<KpiValue> compute(
      Map<Station, NavigableMap<Long, Map<AqiPollutant, Double>>> means,
      long now,
      long dayStart,
      long dayEnd) {
    long currentHour = now - Math.floorMod(now, HOUR_MS);
    long hoursEnd = Math.min(currentHour + HOUR_MS, dayEnd);
    boolean provisional = now < dayEnd;
    Map<String, List<KpiValue>> stationsByZone = new TreeMap<>();
    Map<String, List<KpiValue>> dailyByZone = new TreeMap<>();
    Map<String, Map<Long, Integer>> zoneHourly = new TreeMap<>();
    List<KpiValue> out = new ArrayList<>();
    for (Map.Entry<Station, NavigableMap<Long, Map<AqiPollutant, Double>>> e : means.entrySet()) {
      Station station = e.getKey();
      int hoursAbove = 0;
      Map<Long, Integer> zoneHours =
          zoneHourly.computeIfAbsent(station.zone(), z -> new TreeMap<>());
      for (long hour = dayStart; hour < hoursEnd; hour += HOUR_MS) {
        var aqi = VnAqi.hourlyAt(e.getValue(), hour);
        if (aqi.isPresent()) {
          zoneHours.merge(hour, aqi.get().aqi(), Math::max);
          if (aqi.get().aqi() > 100) {
            hoursAbove++;
          }
        }
      }
      var current = VnAqi.hourlyAt(e.getValue(), currentHour);
      if (current.isPresent()) {
        KpiValue v = aqiValue(station.zone(), station.site(), KpiNames.AQI, current.get(), now);
        out.add(v);
        stationsByZone.computeIfAbsent(station.zone(), z -> new ArrayList<>()).add(v);
      }
      var daily = VnAqi.daily(e.getValue(), dayStart, hoursEnd);
      if (daily.isPresent()) {
        int hours = e.getValue().subMap(dayStart, true, hoursEnd, false).size();
        KpiValue v =
            new KpiValue(
                station.zone(),
                station.site(),
                KpiNames.AQI_DAILY,
                daily.get().aqi(),
                now,
                dailyAttributes(
                    daily.get().aqi(), daily.get().dominant().displayName(), hours, provisional));
        out.add(v);
        dailyByZone.computeIfAbsent(station.zone(), z -> new ArrayList<>()).add(v);
      }
      out.add(
          KpiValue.of(
              station.zone(), station.site(), KpiNames.AQI_HOURS_ABOVE_100, hoursAbove, now));
    }
    stationsByZone.forEach((zone, stations) -> out.add(worstStation(zone, stations, now)));
    dailyByZone.forEach((zone, stations) -> out.add(worstStation(zone, stations, now)));
    zoneHourly.forEach(
        (zone, hours) ->
            out.add(
                KpiValue.of(
                    zone,
                    null,
                    KpiNames.AQI_HOURS_ABOVE_100,
                    hours.values().stream().filter(a -> a > 100).count(),
                    now)));
    return out;
  }

  /** The zone's value: its worst station's, naming the station. */
  private static KpiValue worstStation(String zone, List<KpiValue> stations, long now) {
    KpiValue worst = stations.get(0);
    for (KpiValue v : stations) {
      if (v.value() > worst.value()) {
        worst = v;
      }
    }
    Map<String, Object> attrs = new HashMap<>(worst.attributes());
    attrs.put("station", worst.site());
    return new KpiValue(zone, null, worst.kpi(), worst.value(), now, attrs);
  }

  static KpiValue aqiValue(String zone, String site, String kpi, VnAqi.Result aqi, long ts) {
    return new KpiValue(
        zone, site, kpi, aqi.aqi(), ts, attributes(aqi.aqi(), aqi.dominant().displayName()));
  }

  /**
   * The fields a daily AQI carries: those of {@link #attributes}, {@code hours} (the hours of the
   * day with hourly means) and {@code provisional} (its day is still in progress).
   */
  static Map<String, Object> dailyAttributes(
      int aqi, String dominant, int hours, boolean provisional) {
    Map<String, Object> attributes = new HashMap<>(attributes(aqi, dominant));
    attributes.put(HOURS, hours);
    attributes.put(PROVISIONAL, provisional);
    return attributes;
  }

  /**
   * The fields an AQI value carries besides its number: {@code band}, {@code color}, {@code
   * dominant} (the pollutant's name) and the band's health {@code advice}.
   */
  static Map<String, Object> attributes(int aqi, String dominant) {
    AqiBand band = AqiBand.of(aqi);
    return Map.of(
        "band", band.id(),
        "color", band.color(),
        "dominant", dominant,
        "advice", HealthAdvice.of(band));
  }
}
