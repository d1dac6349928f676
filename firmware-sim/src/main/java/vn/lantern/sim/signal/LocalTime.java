package vn.lantern.sim.signal;

import java.time.Instant;
import java.time.ZoneOffset;

/** Time of day at the sites (Indochina Time, UTC+7, no daylight saving). */
final class LocalTime {
  private static final ZoneOffset SITES = ZoneOffset.ofHours(7);

  private LocalTime() {}

  /** Hours since local midnight, fractional: 0 ≤ h < 24. */
  static double hourOfDay(Instant at) {
    long seconds = at.getEpochSecond() + SITES.getTotalSeconds();
    return Math.floorMod(seconds, 86_400L) / 3600.0;
  }

  /** Whether the local day is Saturday or Sunday. */
  static boolean weekend(Instant at) {
    java.time.DayOfWeek day = at.atOffset(SITES).getDayOfWeek();
    return day == java.time.DayOfWeek.SATURDAY || day == java.time.DayOfWeek.SUNDAY;
  }

  /** A smooth daily cycle: 1 at {@code peakHour}, −1 twelve hours later. */
  static double cycle(Instant at, double peakHour) {
    return Math.cos(2 * Math.PI * (hourOfDay(at) - peakHour) / 24);
  }

  /** A bell around {@code hour} with width {@code sigma} hours, 1 at its peak. */
  static double bump(Instant at, double hour, double sigma) {
    double d = hourOfDay(at) - hour;
    d = d - 24 * Math.rint(d / 24);
    return Math.exp(-0.5 * d * d / (sigma * sigma));
  }

  /** Standard normal noise. */
  static double gauss(java.util.SplittableRandom random) {
    double u = 1 - random.nextDouble();
    double v = random.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
}
