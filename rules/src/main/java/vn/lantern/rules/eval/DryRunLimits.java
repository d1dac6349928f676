package vn.lantern.rules.eval;

/**
 * What one dry run may cost, and how many may run at once.
 *
 * @param maxConcurrent dry runs evaluated at once on the node; beyond, 429 with {@code Retry-After}
 * @param maxDays longest range a dry run may cover
 * @param maxPoints most stored readings one dry run reads; beyond, it stops and says so
 * @param timeoutSeconds longest time one dry run evaluates; beyond, it stops and says so
 * @param maxAlerts most alerts one dry run lists; beyond, it stops and says so
 */
public record DryRunLimits(
    int maxConcurrent, int maxDays, long maxPoints, int timeoutSeconds, int maxAlerts) {

  /** The documented defaults: 2 at once, 31 days, 5,000,000 readings, 60 s, 1,000 alerts. */
  public static DryRunLimits defaults() {
    return new DryRunLimits(2, 31, 5_000_000, 60, 1_000);
  }
}
