package vn.lantern.rules.rule;

import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;

/** What a rule checks. Leaves name their metric; {@code any}/{@code all} combine sub-conditions. */
public sealed interface Condition {

  /** The longest duration in this condition: how much history rebuilds its state. */
  default long longestMillis() {
    if (this instanceof Threshold t) {
      return t.holdFor().toMillis();
    }
    if (this instanceof Rate r) {
      return Math.max(r.holdFor().toMillis(), r.per().toMillis());
    }
    if (this instanceof Absence a) {
      return a.duration().toMillis();
    }
    if (this instanceof Aggregate a) {
      return a.window().toMillis() + a.holdFor().toMillis();
    }
    if (this instanceof Levels l) {
      return (l.window() == null ? 0 : l.window().toMillis()) + l.holdFor().toMillis();
    }
    if (this instanceof Aqi a) {
      return Aqi.HISTORY.toMillis() + a.levels().holdFor().toMillis();
    }
    if (this instanceof ZoneAqi z) {
      return Aqi.HISTORY.toMillis() + z.levels().holdFor().toMillis();
    }
    if (this instanceof Period) {
      return 0;
    }
    if (this instanceof Upstream u) {
      return Math.max(u.levels().longestMillis(), u.rise().longestMillis());
    }
    List<Condition> children =
        this instanceof Any any ? any.conditions() : ((All) this).conditions();
    return children.stream().mapToLong(Condition::longestMillis).max().orElse(0);
  }

  /**
   * The value crosses a limit and stays there for {@code holdFor}.
   *
   * @param metric the metric compared
   * @param comparison operator, limit and hysteresis
   * @param holdFor how long the condition must hold before the alert fires
   */
  record Threshold(String metric, Comparison comparison, Duration holdFor) implements Condition {}

  /**
   * The change of a metric, scaled to {@code per}, compared with a limit.
   *
   * @param metric the metric
   * @param comparison operator and limit for the change per interval
   * @param per the interval the change is expressed in, e.g. 1h for metres per hour
   * @param holdFor how long the condition must hold
   */
  record Rate(String metric, Comparison comparison, Duration per, Duration holdFor)
      implements Condition {}

  /**
   * No reading of the metric (or of any metric when {@code metric} is null) for {@code duration}.
   */
  record Absence(String metric, Duration duration) implements Condition {}

  /**
   * An aggregate of the metric over a window compared with a limit.
   *
   * @param metric the metric
   * @param function avg, min, max, sum, count or p95
   * @param window the window length
   * @param tumbling fixed consecutive windows (evaluated when each closes) instead of sliding
   * @param comparison operator, limit and hysteresis
   * @param holdFor how long the condition must hold
   */
  record Aggregate(
      String metric,
      Function function,
      Duration window,
      boolean tumbling,
      Comparison comparison,
      Duration holdFor)
      implements Condition {}

  /**
   * Alarm levels of one gauge, ascending (e.g. BĐ1, BĐ2, BĐ3): holds while the value has been at or
   * above the lowest for {@code holdFor}, and names the highest level so reached, whose severity
   * the one open alert of the (rule, device) takes. A level is left only {@code hysteresis} below
   * it, so a value hovering at a level does not flap the severity.
   *
   * @param metric the metric compared, e.g. {@code level}
   * @param levels the levels, strictly ascending by value, with non-decreasing severities
   * @param hysteresis how far below a level the value must fall to leave it (≥ 0)
   * @param holdFor how long the value must stay at or above a level before it counts as reached
   * @param station the gauge's station for bulletin text, or null
   * @param window when set, the levels apply to the sum of the metric over this sliding window
   *     (e.g. 24-hour rain), not to each reading
   */
  record Levels(
      String metric,
      List<Level> levels,
      double hysteresis,
      Duration holdFor,
      Station station,
      Duration window)
      implements Condition {
    public Levels {
      levels = List.copyOf(levels);
    }
  }

  /**
   * The hourly VN_AQI of a station's analyser, computed from its pollutant readings (PM2.5, PM10,
   * O3, NO2, SO2, CO) as the AQI KPI computes it (Decision 1459/QĐ-TCMT: hourly means, NowCast of
   * the particulates), against band limits such as 101 (poor), 151 (bad), 201 (very bad): one
   * escalating alert per station, like a gauge's flood {@link Levels}.
   *
   * @param levels the band limits on the AQI value (metric {@value #METRIC}), with their
   *     severities; no station
   */
  record Aqi(Levels levels) implements Condition {
    /** The name of the computed value the levels compare. */
    public static final String METRIC = "aqi";

    /** The history an AQI needs: the 12 hourly means of a NowCast. */
    public static final Duration HISTORY = Duration.ofHours(12);
  }

  /**
   * The zone's VN_AQI: the worst hourly VN_AQI of the air-quality stations in the rule's scope,
   * each computed as for {@link Aqi}, against band limits. ONE alert per (rule, zone), escalating
   * and falling back through the levels, naming the worst station and its dominant pollutant; a
   * station whose newest reading is {@link #STALE} older than the zone's newest no longer counts.
   *
   * @param levels the band limits on the zone's AQI (metric {@value Aqi#METRIC})
   */
  record ZoneAqi(Levels levels) implements Condition {
    /** A station this far behind the zone's newest reading is left out of the zone's AQI. */
    public static final Duration STALE = Duration.ofHours(2);

    /** The device id its alerts carry: the zone's, e.g. {@code zone:hoi-an}. */
    public static String deviceId(String zone) {
      return "zone:" + zone;
    }
  }

  /**
   * Lead information from an upstream gauge to a downstream station: holds while the upstream
   * gauge's own alarm {@code levels} hold (BĐ1 or above, held and left as in {@link Levels}) or its
   * {@code rise} (a {@link Rate}) does; the one alert of the (rule, upstream gauge) is raised in
   * the downstream station's zone, its severity the upstream level's (the rule's while only
   * rising), and each transition carries the upstream bulletin line with the expected lead time.
   * Only as a rule's top condition.
   *
   * @param levels the upstream station's alarm levels, with its station for the bulletin
   * @param rise the rate of rise that warns before BĐ1 is reached
   * @param downstream where the warning goes
   */
  record Upstream(Levels levels, Rate rise, Downstream downstream) implements Condition {}

  /**
   * The downstream end of an upstream warning.
   *
   * @param name the downstream station, e.g. {@code Hội An}
   * @param zone the zone whose operators get the warning
   * @param leadHours typical time for the flood to travel from the upstream station, in hours
   * @param unconfirmed whether the lead time is an estimate with no source
   */
  record Downstream(String name, String zone, double leadHours, boolean unconfirmed) {}

  /**
   * One alarm level.
   *
   * @param name its official name, e.g. {@code BĐ3}
   * @param value the level, in the metric's unit
   * @param severity the alert's severity while this is the highest level reached
   */
  record Level(String name, double value, Severity severity) {}

  /**
   * A hydrological station, named as in the official flood bulletins.
   *
   * @param name station, e.g. {@code Hội An}
   * @param river river, e.g. {@code Thu Bồn}
   */
  record Station(String name, String river) {}

  /**
   * The data time lies in a period of the calendar, in local time: from a day on and/or until a day
   * (a limit the law changes on a date), and/or between two times of each day (a day limit and a
   * night limit). Combined with {@code all}/{@code any}, it gives a rule the limit in force when
   * each reading was taken.
   *
   * @param from first day, inclusive, or null
   * @param until first day no longer included, or null
   * @param dailyFrom start of the daily window, inclusive, or null (all day)
   * @param dailyUntil end of the daily window, exclusive (before {@code dailyFrom}: over midnight)
   * @param zone the time zone of the days and times
   */
  record Period(
      LocalDate from, LocalDate until, LocalTime dailyFrom, LocalTime dailyUntil, ZoneId zone)
      implements Condition {}

  /** True when at least one sub-condition is (OR). */
  record Any(List<Condition> conditions) implements Condition {}

  /** True when every sub-condition is (AND). */
  record All(List<Condition> conditions) implements Condition {}

  /** Aggregate functions. */
  enum Function {
    AVG,
    MIN,
    MAX,
    SUM,
    COUNT,
    P95;

    public String json() {
      return name().toLowerCase(Locale.ROOT);
    }
  }
}
