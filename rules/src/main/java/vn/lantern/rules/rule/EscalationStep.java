package vn.lantern.rules.rule;

import java.time.Duration;

/**
 * Raises an unacknowledged alert's severity once it has been firing for {@code after}.
 *
 * @param after time since the alert fired
 * @param severity the severity it escalates to
 */
public record EscalationStep(Duration after, Severity severity) {}
