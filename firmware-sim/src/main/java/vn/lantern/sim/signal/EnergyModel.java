package vn.lantern.sim.signal;

import static vn.lantern.sim.signal.LocalTime.bump;
import static vn.lantern.sim.signal.LocalTime.gauss;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import vn.lantern.sim.scenario.DeviceGroup;
import vn.lantern.sim.scenario.DeviceType;

/**
 * A three-phase meter of a factory or a public building: load follows the shifts (high 7–17, a
 * lunch dip, low at night and on Sundays), power factor between 0.82 and 0.98, and a cumulative kWh
 * counter that only ever grows. Parameters: {@code kw} peak load (default 250), {@code kwh} the
 * counter's starting value.
 */
final class EnergyModel implements SignalModel {
  private final double peakKw;
  private double kwh;
  private Instant last;

  EnergyModel(DeviceGroup group, SplittableRandom setup) {
    this.peakKw = group.param("kw", 250);
    this.kwh = group.param("kwh", Math.floor(setup.nextDouble(10_000, 500_000)));
  }

  @Override
  public Map<String, Double> sample(Instant at, Duration offset, SplittableRandom random) {
    double shift =
        smoothStep(LocalTime.hourOfDay(at), 6.5, 7.5) - smoothStep(LocalTime.hourOfDay(at), 17, 18);
    double load = 0.2 + 0.8 * shift - 0.25 * bump(at, 12, 0.5) * shift;
    if (LocalTime.weekend(at)
        && at.atOffset(java.time.ZoneOffset.ofHours(7)).getDayOfWeek()
            == java.time.DayOfWeek.SUNDAY) {
      load *= 0.4;
    }
    double kw = Math.max(0, peakKw * load * (1 + 0.04 * gauss(random)));
    if (last != null && at.isAfter(last)) {
      kwh += kw * Duration.between(last, at).toMillis() / 3_600_000.0;
    }
    last = at;
    double pf = 0.90 + 0.06 * load + 0.015 * gauss(random);
    pf = Math.max(0.82, Math.min(0.98, pf));
    double volts = 400 * (1 - 0.02 * load) + 2 * gauss(random);
    double amps = kw * 1000 / (Math.sqrt(3) * volts * pf);
    Map<String, Double> m = new LinkedHashMap<>();
    m.put("voltage", volts);
    m.put("current", amps);
    m.put("power", kw);
    m.put("energy", kwh);
    m.put("pf", pf);
    m.put("frequency", 50 + 0.03 * gauss(random));
    m.replaceAll(
        (metric, v) -> Math.round(Ranges.of(DeviceType.ENERGY, metric).clamp(v) * 1000) / 1000.0);
    return m;
  }

  private static double smoothStep(double x, double from, double to) {
    double t = Math.max(0, Math.min(1, (x - from) / (to - from)));
    return t * t * (3 - 2 * t);
  }
}
