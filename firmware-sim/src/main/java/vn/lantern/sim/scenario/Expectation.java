package vn.lantern.sim.scenario;

import java.time.Duration;

/**
 * What a drill promises its trainees. Exactly one kind per entry:
 *
 * <ul>
 *   <li>a <b>crossing</b> ({@code crosses}): the simulated data of {@code device} first reaches
 *       {@code crosses} in {@code metric} at {@code at}, e.g. "the Hội An gauge crosses BĐ2 (1.5 m)
 *       at 6h" (checked on the signal models alone);
 *   <li>an <b>alert</b> ({@code alert}): the node raises an alert of the rule whose name starts
 *       with {@code alert} on {@code device}, reaching {@code severity} at about {@code at} (within
 *       {@code within}); with {@code alerts}, exactly that many such alerts exist (1: one alert
 *       that escalates, not one per level);
 *   <li>a <b>KPI</b> ({@code kpi}): at the end of the run the zone's KPI is {@code below} and/or
 *       {@code above} the given values.
 * </ul>
 *
 * @param at offset from the scenario's start (crossings and alerts)
 * @param device the device id (crossings and alerts)
 * @param metric the metric (crossings)
 * @param crosses the level first reached (upwards) at {@code at}
 * @param alert the start of the rule's name
 * @param severity the severity the alert reaches ({@code info}, {@code warning}, {@code critical})
 * @param alerts how many alerts of that rule the device has at the end, or null for any
 * @param within how far from {@code at} the alert may reach its severity (default 20m)
 * @param kpi the KPI name, e.g. {@code wastewater_compliance_pct}
 * @param zone the KPI's zone
 * @param below the KPI value must be below this
 * @param above the KPI value must be above this
 * @param note what it means, e.g. {@code BĐ2}
 */
public record Expectation(
    Duration at,
    String device,
    String metric,
    Double crosses,
    String alert,
    String severity,
    Integer alerts,
    Duration within,
    String kpi,
    String zone,
    Double below,
    Double above,
    String note) {

  /** The default tolerance of an alert's time. */
  public static final Duration DEFAULT_WITHIN = Duration.ofMinutes(20);

  /** The kinds of expectation. */
  public enum Kind {
    CROSSING,
    ALERT,
    KPI
  }

  public Expectation {
    int kinds = (crosses != null ? 1 : 0) + (alert != null ? 1 : 0) + (kpi != null ? 1 : 0);
    if (kinds != 1) {
      throw new IllegalArgumentException(
          "expect: each entry is one of crosses (with metric), alert or kpi");
    }
    if (crosses != null && (metric == null || device == null || at == null)) {
      throw new IllegalArgumentException("expect: a crossing needs at, device and metric");
    }
    if (alert != null && (device == null || at == null || severity == null)) {
      throw new IllegalArgumentException("expect: an alert needs at, device and severity");
    }
    if (kpi != null && (zone == null || (below == null && above == null))) {
      throw new IllegalArgumentException("expect: a kpi needs zone and below and/or above");
    }
    within = within == null ? DEFAULT_WITHIN : within;
  }

  /** Which kind of promise this is. */
  public Kind kind() {
    return crosses != null ? Kind.CROSSING : alert != null ? Kind.ALERT : Kind.KPI;
  }

  /** One line for people, e.g. {@code alert "Hội An…" on hoian-wl-01 critical at 8h (BĐ3)}. */
  public String describe() {
    String text =
        switch (kind()) {
          case CROSSING ->
              device + " " + metric + " crosses " + crosses + " at " + Durations.format(at);
          case ALERT ->
              "alert \""
                  + alert
                  + "\" on "
                  + device
                  + " reaches "
                  + severity
                  + " at "
                  + Durations.format(at)
                  + (alerts == null ? "" : ", " + alerts + " alert(s)");
          case KPI ->
              kpi
                  + " of "
                  + zone
                  + (above == null ? "" : " > " + above)
                  + (below == null ? "" : " < " + below);
        };
    return note == null ? text : text + " (" + note + ")";
  }
}
