package vn.lantern.sim.signal;

import static vn.lantern.sim.signal.LocalTime.gauss;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import vn.lantern.sim.scenario.DeviceGroup;
import vn.lantern.sim.scenario.DeviceType;

/**
 * A street-light cabinet of 9 LED circuits: on from dusk (17:45) to dawn (05:45) local time, with a
 * cumulative kWh counter. Parameter {@code circuits} (default 9), {@code kwPerCircuit} (0.9).
 */
final class StreetLightModel implements SignalModel {
  static final double DUSK = 17.75;
  static final double DAWN = 5.75;

  private final double circuits;
  private final double kwPerCircuit;
  private double kwh;
  private Instant last;

  StreetLightModel(DeviceGroup group, SplittableRandom setup) {
    this.circuits = group.param("circuits", 9);
    this.kwPerCircuit = group.param("kwPerCircuit", 0.9);
    this.kwh = Math.floor(setup.nextDouble(1_000, 50_000));
  }

  @Override
  public Map<String, Double> sample(Instant at, Duration offset, SplittableRandom random) {
    double hour = LocalTime.hourOfDay(at);
    boolean on = hour >= DUSK || hour < DAWN;
    double volts = 225 + 4 * gauss(random);
    double kw = on ? circuits * kwPerCircuit * (1 + 0.02 * gauss(random)) : 0.02;
    double pf = on ? 0.95 + 0.01 * gauss(random) : 0.7;
    if (last != null && at.isAfter(last)) {
      kwh += kw * Duration.between(last, at).toMillis() / 3_600_000.0;
    }
    last = at;
    Map<String, Double> m = new LinkedHashMap<>();
    m.put("on", on ? 1.0 : 0.0);
    m.put("voltage", volts);
    m.put("current", kw * 1000 / (volts * pf));
    m.put("power", kw);
    m.put("pf", pf);
    m.put("energy", kwh);
    m.replaceAll(
        (metric, v) ->
            Math.round(Ranges.of(DeviceType.STREET_LIGHT, metric).clamp(v) * 1000) / 1000.0);
    return m;
  }
}
