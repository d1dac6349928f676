package vn.lantern.sim.signal;

import java.util.List;
import java.util.SplittableRandom;
import vn.lantern.sim.scenario.DeviceSpec;
import vn.lantern.sim.scenario.Excursion;
import vn.lantern.sim.scenario.Hydrograph;
import vn.lantern.sim.scenario.RainEvent;
import vn.lantern.sim.scenario.ScenarioEvent;

/** Builds the signal model of a device from its type, parameters and scenario events. */
public final class SignalModels {
  private SignalModels() {}

  /**
   * A fresh model for one device.
   *
   * @param setup the device's random source, used for initial state (counters, wind direction)
   */
  public static SignalModel create(
      DeviceSpec device, List<ScenarioEvent> events, SplittableRandom setup) {
    return switch (device.type()) {
      case AIR_QUALITY -> new AirQualityModel(device.group());
      case WATER_LEVEL -> new WaterLevelModel(device.group(), only(events, Hydrograph.class));
      case RAIN_GAUGE -> new RainGaugeModel(device.group(), only(events, RainEvent.class));
      case WASTEWATER -> new WastewaterModel(device.group(), only(events, Excursion.class));
      case ENERGY -> new EnergyModel(device.group(), setup);
      case WEATHER -> new WeatherModel(device.group(), setup);
      case NOISE -> new NoiseModel(device.group());
      case STREET_LIGHT -> new StreetLightModel(device.group(), setup);
    };
  }

  private static <T extends ScenarioEvent> List<T> only(List<ScenarioEvent> events, Class<T> kind) {
    return events.stream().filter(kind::isInstance).map(kind::cast).toList();
  }
}
