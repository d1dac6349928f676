package vn.lantern.sim.signal;

import static vn.lantern.sim.signal.LocalTime.cycle;
import static vn.lantern.sim.signal.LocalTime.gauss;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import vn.lantern.sim.scenario.DeviceGroup;
import vn.lantern.sim.scenario.DeviceType;

/**
 * A weather station: diurnal temperature and humidity, an afternoon sea breeze, a wandering wind
 * direction and the atmosphere's semi-diurnal pressure tide. Parameter {@code temperature} sets the
 * daily mean (°C, default 27).
 */
final class WeatherModel implements SignalModel {
  private final double meanTemperature;
  private double windDir;

  WeatherModel(DeviceGroup group, SplittableRandom setup) {
    this.meanTemperature = group.param("temperature", 27);
    this.windDir = setup.nextDouble(0, 360);
  }

  @Override
  public Map<String, Double> sample(Instant at, Duration offset, SplittableRandom random) {
    windDir = Math.floorMod(Math.round(windDir + 8 * gauss(random)), 360);
    double breeze = 2 + 3 * Math.max(0, cycle(at, 15));
    Map<String, Double> m = new LinkedHashMap<>();
    m.put("temperature", Weather.temperature(at, meanTemperature, 4, random));
    m.put("humidity", Weather.humidity(at, 80, random));
    m.put("wind_speed", breeze * Math.exp(0.3 * gauss(random)));
    m.put("wind_dir", windDir);
    m.put(
        "pressure",
        1009
            + 1.2 * Math.cos(4 * Math.PI * (LocalTime.hourOfDay(at) - 10) / 24)
            + 0.3 * gauss(random));
    m.replaceAll(
        (metric, v) -> Math.round(Ranges.of(DeviceType.WEATHER, metric).clamp(v) * 10) / 10.0);
    return m;
  }
}
