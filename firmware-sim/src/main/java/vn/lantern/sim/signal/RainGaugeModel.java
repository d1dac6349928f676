package vn.lantern.sim.signal;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import vn.lantern.sim.scenario.DeviceGroup;
import vn.lantern.sim.scenario.DeviceType;
import vn.lantern.sim.scenario.RainEvent;

/**
 * A tipping-bucket rain gauge reporting mm per interval: mostly dry with short afternoon showers,
 * and the scenario's rain spells (mm/h) with gusty variation. The bucket resolution is 0.2 mm.
 */
final class RainGaugeModel implements SignalModel {
  private final double intervalHours;
  private final List<RainEvent> spells;
  private int showerLeft;

  RainGaugeModel(DeviceGroup group, List<RainEvent> spells) {
    this.intervalHours = group.interval().toMillis() / 3_600_000.0;
    this.spells = spells;
  }

  @Override
  public Map<String, Double> sample(Instant at, Duration offset, SplittableRandom random) {
    double mmPerHour = 0;
    if (showerLeft > 0) {
      showerLeft--;
      mmPerHour = 4 + 10 * random.nextDouble();
    } else if (random.nextDouble() < 0.02 * intervalHours * (1 + 2 * LocalTime.bump(at, 15, 2))) {
      showerLeft = (int) Math.ceil(0.5 / intervalHours);
    }
    for (RainEvent spell : spells) {
      if (offset.compareTo(spell.from()) >= 0 && offset.compareTo(spell.to()) < 0) {
        mmPerHour = spell.mmPerHour() * (0.5 + random.nextDouble());
      }
    }
    double mm = Math.round(mmPerHour * intervalHours / 0.2) * 0.2;
    double clamped = Ranges.of(DeviceType.RAIN_GAUGE, "rain").clamp(mm);
    return Map.of("rain", Math.round(clamped * 10) / 10.0);
  }
}
