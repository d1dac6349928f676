package vn.lantern.sim.signal;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * What one sensor measures over time. A model may keep state (a cumulative energy counter), so a
 * device calls it once per sample, in time order, with its own random source: the same seed then
 * gives the same data.
 */
public interface SignalModel {

  /**
   * The readings at one instant.
   *
   * @param at scenario time (the true time, before the device's clock offset)
   * @param offset time since the scenario's start, which scenario events are written in
   * @param random the device's random source
   * @return metric → value, in a stable order, every value within {@link Ranges}
   */
  Map<String, Double> sample(Instant at, Duration offset, SplittableRandom random);
}
