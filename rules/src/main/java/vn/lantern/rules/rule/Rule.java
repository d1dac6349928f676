package vn.lantern.rules.rule;

import java.time.Duration;
import java.util.List;

/**
 * A rule as stored and evaluated. Its JSON form is produced by {@link RuleJson}.
 *
 * @param id stable id
 * @param version incremented on every change
 * @param name short title
 * @param description free text, may be empty
 * @param scope which devices it watches
 * @param metric the default metric of its conditions (null for an any-metric absence rule)
 * @param condition what it checks
 * @param severity severity of its alerts when they fire
 * @param escalation steps that raise the severity of unacknowledged alerts, ordered by time
 * @param renotify repeat notifications of an unacknowledged alert at this interval, or null
 * @param channels notification channels
 * @param enabled whether it is evaluated
 * @param updatedAt epoch ms of the last change
 * @param source the regulation pack it was seeded from, or null
 */
public record Rule(
    String id,
    int version,
    String name,
    String description,
    Scope scope,
    String metric,
    Condition condition,
    Severity severity,
    List<EscalationStep> escalation,
    Duration renotify,
    List<Channel> channels,
    boolean enabled,
    long updatedAt,
    RuleSource source) {

  public Rule {
    escalation = List.copyOf(escalation);
    channels = List.copyOf(channels);
  }

  /** The same rule with a new id, version and change time. */
  public Rule withIdentity(String newId, int newVersion, long newUpdatedAt) {
    return new Rule(
        newId,
        newVersion,
        name,
        description,
        scope,
        metric,
        condition,
        severity,
        escalation,
        renotify,
        channels,
        enabled,
        newUpdatedAt,
        source);
  }
}
