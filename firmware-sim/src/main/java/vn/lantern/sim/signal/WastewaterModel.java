package vn.lantern.sim.signal;

import static vn.lantern.sim.signal.LocalTime.cycle;
import static vn.lantern.sim.signal.LocalTime.gauss;
import static vn.lantern.sim.signal.LocalTime.hourOfDay;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import vn.lantern.sim.scenario.DeviceGroup;
import vn.lantern.sim.scenario.DeviceType;
import vn.lantern.sim.scenario.Excursion;

/**
 * The outlet station of an industrial park's central wastewater plant: flow follows the working
 * day, quality parameters sit well inside QCVN 40 column B with noise, the analyser calibrates at
 * 02:00 every night (status 1), and the scenario's excursions push a parameter out of its band.
 * Parameter {@code flow} sets the mean inflow (m³/h, default 250).
 */
final class WastewaterModel implements SignalModel {
  private final double flow;
  private final List<Excursion> excursions;

  WastewaterModel(DeviceGroup group, List<Excursion> excursions) {
    this.flow = group.param("flow", 250);
    this.excursions = excursions;
  }

  @Override
  public Map<String, Double> sample(Instant at, Duration offset, SplittableRandom random) {
    double flowIn = flow * (1 + 0.35 * cycle(at, 13)) * (1 + 0.05 * gauss(random));
    Map<String, Double> m = new LinkedHashMap<>();
    m.put("flow_in", flowIn);
    m.put("flow_out", flowIn * (0.96 + 0.01 * gauss(random)));
    m.put("temperature", 30 + 1.5 * cycle(at, 15) + 0.3 * gauss(random));
    m.put("ph", 7.2 + 0.15 * gauss(random));
    m.put("cod", 62 + 8 * gauss(random));
    m.put("tss", 32 + 6 * gauss(random));
    m.put("nh4", 3.2 + 0.6 * gauss(random));
    double hour = hourOfDay(at);
    m.put("status", hour >= 2 && hour < 2 + 10 / 60.0 ? 1.0 : random.nextDouble() < 0.001 ? 2 : 0);
    for (Excursion e : excursions) {
      double w = e.weightAt(offset);
      Double normal = m.get(e.metric());
      if (w > 0 && normal != null) {
        double target = e.value() * (1 + 0.03 * gauss(random));
        m.put(e.metric(), normal + w * (target - normal));
      }
    }
    m.replaceAll(
        (metric, v) -> Math.round(Ranges.of(DeviceType.WASTEWATER, metric).clamp(v) * 100) / 100.0);
    return m;
  }
}
