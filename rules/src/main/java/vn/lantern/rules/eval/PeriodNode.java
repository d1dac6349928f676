package vn.lantern.rules.eval;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import vn.lantern.rules.rule.Condition;

/**
 * State of a {@link Condition.Period}: whether the clock (data time) lies in the period. Its
 * boundaries (a date the law changes a limit on, 06:00 and 21:00 for day and night noise limits)
 * are deadlines, so a rule switches limits at the exact instant, live and in a dry run alike.
 */
final class PeriodNode extends ConditionNode {
  private final Condition.Period period;

  PeriodNode(Condition.Period period) {
    this.period = period;
  }

  @Override
  public void onReading(String metric, double value, long ts, long now) {}

  @Override
  public boolean satisfied(long now) {
    ZonedDateTime at = Instant.ofEpochMilli(now).atZone(period.zone());
    LocalDate day = at.toLocalDate();
    if (period.from() != null && day.isBefore(period.from())) {
      return false;
    }
    if (period.until() != null && !day.isBefore(period.until())) {
      return false;
    }
    if (period.dailyFrom() == null) {
      return true;
    }
    LocalTime time = at.toLocalTime();
    LocalTime start = period.dailyFrom();
    LocalTime end = period.dailyUntil();
    return start.isBefore(end)
        ? !time.isBefore(start) && time.isBefore(end)
        : !time.isBefore(start) || time.isBefore(end);
  }

  @Override
  public long nextDue(long after) {
    if (after == Long.MIN_VALUE) {
      // A clock not started yet: the state depends on the clock alone, so nothing is missed.
      return Long.MAX_VALUE;
    }
    long next = Long.MAX_VALUE;
    next = Math.min(next, startOf(period.from(), after));
    next = Math.min(next, startOf(period.until(), after));
    if (period.dailyFrom() != null) {
      next = Math.min(next, daily(period.dailyFrom(), after));
      next = Math.min(next, daily(period.dailyUntil(), after));
    }
    return next;
  }

  private long startOf(LocalDate day, long after) {
    return day == null
        ? Long.MAX_VALUE
        : after(day.atStartOfDay(period.zone()).toInstant().toEpochMilli(), after);
  }

  /** The first instant after {@code after} at which the local time is {@code time}. */
  private long daily(LocalTime time, long after) {
    LocalDate day = Instant.ofEpochMilli(after).atZone(period.zone()).toLocalDate();
    long at = day.atTime(time).atZone(period.zone()).toInstant().toEpochMilli();
    return at > after
        ? at
        : day.plusDays(1).atTime(time).atZone(period.zone()).toInstant().toEpochMilli();
  }

  @Override
  public double value() {
    return Double.NaN;
  }

  @Override
  public void assumeActive(long since) {}
}
