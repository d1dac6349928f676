package vn.lantern.sim.signal;

import static vn.lantern.sim.signal.LocalTime.cycle;
import static vn.lantern.sim.signal.LocalTime.gauss;

import java.time.Instant;
import java.util.SplittableRandom;

/** Diurnal temperature and humidity of the coastal plain, shared by several models. */
final class Weather {
  private Weather() {}

  /** Temperature in °C: coolest before dawn, warmest mid-afternoon. */
  static double temperature(Instant at, double mean, double amplitude, SplittableRandom random) {
    return mean + amplitude * cycle(at, 14.5) + 0.4 * gauss(random);
  }

  /** Relative humidity in %: highest before dawn, lowest mid-afternoon. */
  static double humidity(Instant at, double mean, SplittableRandom random) {
    return mean - 14 * cycle(at, 14.5) + 2 * gauss(random);
  }
}
