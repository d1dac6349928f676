package vn.lantern.sim.signal;

import static vn.lantern.sim.signal.LocalTime.bump;
import static vn.lantern.sim.signal.LocalTime.gauss;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.SplittableRandom;
import vn.lantern.sim.scenario.DeviceGroup;
import vn.lantern.sim.scenario.DeviceType;

/**
 * An environmental noise meter (LAeq, dBA): busy daytime with rush-hour peaks, quiet nights.
 * Parameter {@code day} sets the daytime level (default 64 dBA).
 */
final class NoiseModel implements SignalModel {
  private final double day;

  NoiseModel(DeviceGroup group) {
    this.day = group.param("day", 64);
  }

  @Override
  public Map<String, Double> sample(Instant at, Duration offset, SplittableRandom random) {
    double hour = LocalTime.hourOfDay(at);
    boolean daytime = hour >= 6 && hour < 22;
    double level =
        (daytime ? day : day - 14)
            + 5 * bump(at, 7.5, 1)
            + 5 * bump(at, 17.5, 1.2)
            + 2.5 * gauss(random);
    double clamped = Ranges.of(DeviceType.NOISE, "laeq").clamp(level);
    return Map.of("laeq", Math.round(clamped * 10) / 10.0);
  }
}
