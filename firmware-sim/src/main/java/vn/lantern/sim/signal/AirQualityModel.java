package vn.lantern.sim.signal;

import static vn.lantern.sim.signal.LocalTime.bump;
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
 * Urban air quality: PM2.5 peaks in the morning and evening rush hours and settles in calm nights;
 * PM10 follows it, NO2 and CO follow traffic, O3 peaks with the midday sun. Parameter {@code pm25}
 * sets the daily baseline (µg/m³, default 18).
 */
final class AirQualityModel implements SignalModel {
  private final double base;
  private double drift;

  AirQualityModel(DeviceGroup group) {
    this.base = group.param("pm25", 18);
  }

  @Override
  public Map<String, Double> sample(Instant at, Duration offset, SplittableRandom random) {
    // Slow day-to-day drift (weather), rush-hour bumps, and a calm, cleaner night.
    drift = 0.995 * drift + 0.05 * gauss(random);
    double traffic = 1 + 1.1 * bump(at, 7.5, 1.0) + 1.3 * bump(at, 18, 1.2);
    double night = 1 - 0.35 * bump(at, 3, 2.0);
    double pm25 = base * traffic * night * Math.exp(0.15 * gauss(random) + 0.3 * drift);
    Map<String, Double> m = new LinkedHashMap<>();
    put(m, "pm25", pm25);
    put(m, "pm10", pm25 * (1.6 + 0.1 * gauss(random)));
    put(m, "o3", 60 + 50 * Math.max(0, cycle(at, 13)) + 6 * gauss(random));
    put(m, "no2", 18 * traffic * night + 3 * gauss(random));
    put(m, "so2", 12 + 3 * gauss(random));
    put(m, "co", 700 * traffic * night + 80 * gauss(random));
    put(m, "temperature", Weather.temperature(at, 27, 4, random));
    put(m, "humidity", Weather.humidity(at, 80, random));
    return m;
  }

  private static void put(Map<String, Double> m, String metric, double v) {
    m.put(metric, Math.round(Ranges.of(DeviceType.AIR_QUALITY, metric).clamp(v) * 10) / 10.0);
  }
}
