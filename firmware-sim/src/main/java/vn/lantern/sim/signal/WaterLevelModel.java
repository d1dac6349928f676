package vn.lantern.sim.signal;

import static vn.lantern.sim.signal.LocalTime.gauss;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import vn.lantern.sim.scenario.DeviceGroup;
import vn.lantern.sim.scenario.DeviceType;
import vn.lantern.sim.scenario.Hydrograph;

/**
 * A river gauge: in normal times the level sits at {@code base} (m, default 0.6) with a
 * semi-diurnal tide of {@code tide} (m, default 0.15, Hoi An is tidal); during a flood the
 * scenario's hydrograph drives it, so alarm crossings happen when the drill says.
 */
final class WaterLevelModel implements SignalModel {
  private static final double TIDE_PERIOD_H = 12.42;

  private final double base;
  private final double tide;
  private final List<Hydrograph> floods;

  WaterLevelModel(DeviceGroup group, List<Hydrograph> floods) {
    this.base = group.param("base", 0.6);
    this.tide = group.param("tide", 0.15);
    this.floods = floods;
  }

  @Override
  public Map<String, Double> sample(Instant at, Duration offset, SplittableRandom random) {
    double level =
        base + tide * Math.sin(2 * Math.PI * at.getEpochSecond() / 3600.0 / TIDE_PERIOD_H);
    for (Hydrograph flood : floods) {
      if (offset.compareTo(flood.start()) >= 0 && offset.compareTo(flood.end()) <= 0) {
        level = flood.levelAt(offset);
      }
    }
    level += 0.004 * gauss(random);
    double clamped = Ranges.of(DeviceType.WATER_LEVEL, "level").clamp(level);
    return Map.of("level", Math.round(clamped * 1000) / 1000.0);
  }
}
