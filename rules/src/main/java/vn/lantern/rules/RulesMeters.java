package vn.lantern.rules;

/**
 * Names of the meters of the rules engine, alerts and notifications, as they appear on {@code
 * /metrics}: {@code lantern_<area>_<what>_<unit>}, counters ending in {@code _total}.
 */
public final class RulesMeters {
  /** Readings the rules engine received. */
  public static final String READINGS = "lantern_rules_readings_total";

  /** Rule evaluations. */
  public static final String EVALUATIONS = "lantern_rules_evaluations_total";

  /** Age of the newest reading of the last batch when the engine got it. */
  public static final String READING_LAG = "lantern_rules_reading_lag_seconds";

  /** Alert transitions, per transition. */
  public static final String ALERT_TRANSITIONS = "lantern_rules_alert_transitions_total";

  /** Open alerts. */
  public static final String ALERTS_OPEN = "lantern_rules_alerts_open";

  /** Notifications delivered, per channel type. */
  public static final String NOTIFICATIONS = "lantern_rules_notifications_total";

  /** Failed notification attempts, per channel type. */
  public static final String NOTIFICATION_FAILURES = "lantern_rules_notification_failures_total";

  /** Notifications given up on, per channel type. */
  public static final String NOTIFICATION_DEAD_LETTERS =
      "lantern_rules_notification_dead_letters_total";

  private RulesMeters() {}
}
