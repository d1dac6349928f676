package vn.lantern.sim.scenario;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;

/**
 * A spell of rain on the rain gauges {@code devices}.
 *
 * @param from start, offset from the scenario's start
 * @param to end
 * @param mmPerHour mean intensity (catalogue: 0–100+ mm/h)
 */
public record RainEvent(
    @JsonProperty(required = true) String devices,
    @JsonProperty(required = true) Duration from,
    @JsonProperty(required = true) Duration to,
    @JsonProperty(required = true) double mmPerHour)
    implements ScenarioEvent {

  public RainEvent {
    ScenarioEvent.checkWindow(from, to);
    if (mmPerHour < 0 || mmPerHour > 300) {
      throw new IllegalArgumentException("mmPerHour: must be between 0 and 300");
    }
  }
}
