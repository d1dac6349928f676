package vn.lantern.sim.signal;

import java.util.Map;
import vn.lantern.sim.scenario.DeviceType;

/**
 * The realistic range of every metric per sensor type (catalogue, "Sensor types"); the models clamp
 * to these and the tests check them over a simulated week.
 */
public final class Ranges {

  /** A closed interval. */
  public record Range(double min, double max) {
    public double clamp(double v) {
      return Math.max(min, Math.min(max, v));
    }

    public boolean contains(double v) {
      return v >= min && v <= max;
    }
  }

  private static final Range TEMPERATURE = new Range(15, 42);
  private static final Range HUMIDITY = new Range(30, 100);

  private static final Map<DeviceType, Map<String, Range>> RANGES =
      Map.of(
          DeviceType.AIR_QUALITY,
          Map.of(
              "pm25", new Range(2, 500),
              "pm10", new Range(4, 600),
              "o3", new Range(0, 400),
              "no2", new Range(0, 400),
              "so2", new Range(0, 350),
              "co", new Range(0, 30_000),
              "temperature", TEMPERATURE,
              "humidity", HUMIDITY),
          DeviceType.WATER_LEVEL,
          Map.of("level", new Range(-1, 20)),
          DeviceType.RAIN_GAUGE,
          Map.of("rain", new Range(0, 100)),
          DeviceType.WASTEWATER,
          Map.of(
              "flow_in", new Range(0, 5000),
              "flow_out", new Range(0, 5000),
              "temperature", new Range(15, 45),
              "ph", new Range(0, 14),
              "cod", new Range(0, 500),
              "tss", new Range(0, 1300),
              "nh4", new Range(0, 20),
              "status", new Range(0, 2)),
          DeviceType.ENERGY,
          Map.of(
              "voltage", new Range(340, 440),
              "current", new Range(0, 5000),
              "power", new Range(0, 3000),
              "energy", new Range(0, Double.MAX_VALUE),
              "pf", new Range(0.6, 1.0),
              "frequency", new Range(49.5, 50.5)),
          DeviceType.WEATHER,
          Map.of(
              "temperature", TEMPERATURE,
              "humidity", HUMIDITY,
              "wind_speed", new Range(0, 40),
              "wind_dir", new Range(0, 360),
              "pressure", new Range(960, 1040)),
          DeviceType.NOISE,
          Map.of("laeq", new Range(35, 100)),
          DeviceType.STREET_LIGHT,
          Map.of(
              "on", new Range(0, 1),
              "voltage", new Range(180, 250),
              "current", new Range(0, 60),
              "power", new Range(0, 12),
              "pf", new Range(0.6, 1.0),
              "energy", new Range(0, Double.MAX_VALUE)));

  private Ranges() {}

  /** The metrics of a type and their ranges. */
  public static Map<String, Range> of(DeviceType type) {
    return RANGES.get(type);
  }

  /** The range of one metric. */
  public static Range of(DeviceType type, String metric) {
    Range range = RANGES.get(type).get(metric);
    if (range == null) {
      throw new IllegalArgumentException(type.measurement() + " has no metric " + metric);
    }
    return range;
  }
}
