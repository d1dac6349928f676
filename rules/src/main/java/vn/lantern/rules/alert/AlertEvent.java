package vn.lantern.rules.alert;

/**
 * A transition of an alert, as stored, written to InfluxDB and notified.
 *
 * @param alert the alert after the transition
 * @param kind {@code fired}, {@code acknowledged}, {@code escalated}, {@code deescalated} (a gauge
 *     falling back a level), {@code renotified} or {@code resolved}
 * @param actor who caused it ({@link Alert#SYSTEM} for the engine)
 * @param note a comment, or null
 * @param at epoch ms
 * @param pages whether the rule's channels are told (not for alerts held back as late)
 */
public record AlertEvent(
    Alert alert, String kind, String actor, String note, long at, boolean pages) {}
