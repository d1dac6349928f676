package vn.lantern.rules.alert;

import io.vertx.core.json.JsonObject;
import vn.lantern.rules.rule.Condition;
import vn.lantern.rules.rule.Rule;
import vn.lantern.rules.rule.Severity;

/**
 * One alert of one rule on one device. Immutable: each transition makes a new instance.
 *
 * @param id alert id
 * @param ruleId the rule that raised it
 * @param ruleName the rule's name when it fired
 * @param device device id
 * @param zone the device's zone
 * @param site the device's site
 * @param metric the rule's metric, or null
 * @param state lifecycle state
 * @param severity current severity (escalation may raise it)
 * @param since epoch ms it fired
 * @param value the value that made it fire (NaN for absence)
 * @param ackedBy who acknowledged it, or null
 * @param ackedAt when, or 0
 * @param ackComment the acknowledgement's comment, or null
 * @param resolvedAt when it was resolved, or 0
 * @param resolvedBy {@code system} when its condition cleared, else the user who resolved it
 * @param updatedAt epoch ms of the last transition
 * @param late raised from readings that arrived late (a backfill, a gateway's backlog): {@code
 *     since} is the readings' time, well before it was raised
 * @param held its notifications are held back: raised late and not (yet) known to be still active
 * @param flaps how many times in a row its (rule, device) re-fired within an hour of clearing
 * @param neverReported its device never reported since registration (shown as such, as info)
 */
public record Alert(
    String id,
    String ruleId,
    String ruleName,
    String device,
    String zone,
    String site,
    String metric,
    AlertState state,
    Severity severity,
    long since,
    double value,
    String ackedBy,
    long ackedAt,
    String ackComment,
    long resolvedAt,
    String resolvedBy,
    long updatedAt,
    boolean late,
    boolean held,
    int flaps,
    boolean neverReported) {

  /** Who resolves an alert whose condition cleared. */
  public static final String SYSTEM = "system";

  public boolean isOpen() {
    return state != AlertState.RESOLVED;
  }

  /**
   * The zone whose node evaluates this alert's condition, and so holds it: for an upstream flood
   * warning, raised in the downstream zone from the upstream gauge's readings, the zone of its
   * rule's scope; for any other alert its own zone.
   *
   * @param rule the alert's rule, or null if unknown (then its own zone)
   */
  public String evaluatedIn(Rule rule) {
    return rule != null && rule.condition() instanceof Condition.Upstream
        ? rule.scope().zone()
        : zone;
  }

  Alert acknowledged(String by, String comment, long at) {
    Copy copy = new Copy(this);
    copy.state = AlertState.ACKNOWLEDGED;
    copy.ackedBy = by;
    copy.ackedAt = at;
    copy.ackComment = comment;
    copy.resolvedAt = 0;
    copy.resolvedBy = null;
    copy.updatedAt = at;
    return copy.alert();
  }

  Alert resolved(String by, long at) {
    Copy copy = new Copy(this);
    copy.state = AlertState.RESOLVED;
    copy.resolvedAt = at;
    copy.resolvedBy = by;
    copy.updatedAt = at;
    return copy.alert();
  }

  Alert escalated(Severity to, long at) {
    Copy copy = new Copy(this);
    copy.severity = to;
    copy.updatedAt = at;
    return copy.alert();
  }

  Alert inZone(String to) {
    Copy copy = new Copy(this);
    copy.zone = to;
    return copy.alert();
  }

  Alert released() {
    Copy copy = new Copy(this);
    copy.held = false;
    return copy.alert();
  }

  /** The API's JSON form. */
  public JsonObject toJson() {
    JsonObject json =
        new JsonObject()
            .put("id", id)
            .put("ruleId", ruleId)
            .put("ruleName", ruleName)
            .put("device", device)
            .put("zone", zone)
            .put("site", site)
            .put("metric", metric)
            .put("state", state.json())
            .put("severity", severity.json())
            .put("since", since)
            .put("value", Double.isNaN(value) ? null : value)
            .put("updatedAt", updatedAt)
            .put("late", late)
            .put("flaps", flaps)
            .put("neverReported", neverReported);
    if (ackedBy != null) {
      json.put("ackedBy", ackedBy).put("ackedAt", ackedAt).put("ackComment", ackComment);
    }
    if (state == AlertState.RESOLVED) {
      json.put("resolvedAt", resolvedAt).put("resolvedBy", resolvedBy);
    }
    return json;
  }

  /**
   * An alert's fields that transitions change, starting as the alert's own: each transition sets
   * what it changes, and the record's long constructor is called in one place.
   */
  private static final class Copy {
    private final Alert of;
    String zone;
    AlertState state;
    Severity severity;
    String ackedBy;
    long ackedAt;
    String ackComment;
    long resolvedAt;
    String resolvedBy;
    long updatedAt;
    boolean held;

    Copy(Alert of) {
      this.of = of;
      zone = of.zone;
      state = of.state;
      severity = of.severity;
      ackedBy = of.ackedBy;
      ackedAt = of.ackedAt;
      ackComment = of.ackComment;
      resolvedAt = of.resolvedAt;
      resolvedBy = of.resolvedBy;
      updatedAt = of.updatedAt;
      held = of.held;
    }

    Alert alert() {
      return new Alert(
          of.id,
          of.ruleId,
          of.ruleName,
          of.device,
          zone,
          of.site,
          of.metric,
          state,
          severity,
          of.since,
          of.value,
          ackedBy,
          ackedAt,
          ackComment,
          resolvedAt,
          resolvedBy,
          updatedAt,
          of.late,
          held,
          of.flaps,
          of.neverReported);
    }
  }
}
