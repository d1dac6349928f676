package vn.lantern.sim.scenario;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;

/** The catalogue's sensor types; the name is the InfluxDB measurement. */
public enum DeviceType {
  @JsonProperty("air_quality")
  AIR_QUALITY("air_quality", Duration.ofMinutes(1)),
  @JsonProperty("water_level")
  WATER_LEVEL("water_level", Duration.ofMinutes(5)),
  @JsonProperty("rain_gauge")
  RAIN_GAUGE("rain_gauge", Duration.ofMinutes(5)),
  @JsonProperty("wastewater")
  WASTEWATER("wastewater", Duration.ofMinutes(1)),
  @JsonProperty("energy")
  ENERGY("energy", Duration.ofMinutes(1)),
  @JsonProperty("weather")
  WEATHER("weather", Duration.ofMinutes(5)),
  @JsonProperty("noise")
  NOISE("noise", Duration.ofMinutes(1)),
  @JsonProperty("street_light")
  STREET_LIGHT("street_light", Duration.ofMinutes(5));

  private final String measurement;
  private final Duration defaultInterval;

  DeviceType(String measurement, Duration defaultInterval) {
    this.measurement = measurement;
    this.defaultInterval = defaultInterval;
  }

  /** The registry type and InfluxDB measurement, e.g. {@code air_quality}. */
  public String measurement() {
    return measurement;
  }

  /** The catalogue's usual sampling interval. */
  public Duration defaultInterval() {
    return defaultInterval;
  }
}
