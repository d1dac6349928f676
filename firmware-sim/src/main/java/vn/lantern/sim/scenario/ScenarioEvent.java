package vn.lantern.sim.scenario;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.time.Duration;

/**
 * Something that happens during a scenario, to the devices whose id is {@code devices} or starts
 * with {@code devices + "-"} (a group id). Times are offsets from the scenario's start.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({
  @JsonSubTypes.Type(value = Hydrograph.class, name = "hydrograph"),
  @JsonSubTypes.Type(value = RainEvent.class, name = "rain"),
  @JsonSubTypes.Type(value = Excursion.class, name = "excursion"),
  @JsonSubTypes.Type(value = Outage.class, name = "outage")
})
public sealed interface ScenarioEvent permits Hydrograph, RainEvent, Excursion, Outage {

  /** A device id or a group id. */
  String devices();

  /** Whether this event concerns the device {@code deviceId}. */
  default boolean appliesTo(String deviceId) {
    return deviceId.equals(devices()) || deviceId.startsWith(devices() + "-");
  }

  /** Checks a window's bounds, naming the field at fault. */
  static void checkWindow(Duration from, Duration to) {
    if (from.isNegative()) {
      throw new IllegalArgumentException("from: must not be negative");
    }
    if (to.compareTo(from) <= 0) {
      throw new IllegalArgumentException("to: must be after from");
    }
  }
}
