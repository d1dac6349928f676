package vn.lantern.sim.scenario;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A fleet and what happens to it, as read from a scenario file.
 *
 * @param name short name
 * @param description what the scenario shows or drills
 * @param seed default random seed (the command line's {@code --seed} overrides it)
 * @param duration how much scenario time the drill covers; default run length in scenario time
 * @param devices the device groups
 * @param events floods, rain, excursions, outages
 * @param expect what the drill promises, checked by tests
 */
public record Scenario(
    @JsonProperty(required = true) String name,
    String description,
    Long seed,
    Duration duration,
    @JsonProperty(required = true) List<DeviceGroup> devices,
    List<ScenarioEvent> events,
    List<Expectation> expect) {

  public Scenario {
    if (devices.isEmpty()) {
      throw new IllegalArgumentException("devices: a scenario needs at least one device group");
    }
    Set<String> ids = new HashSet<>();
    for (DeviceGroup group : devices) {
      if (!ids.add(group.id())) {
        throw new IllegalArgumentException("devices: group id '" + group.id() + "' is repeated");
      }
    }
    seed = seed == null ? 7L : seed;
    duration = duration == null ? Duration.ofHours(24) : duration;
    devices = List.copyOf(devices);
    events = events == null ? List.of() : List.copyOf(events);
    expect = expect == null ? List.of() : List.copyOf(expect);
  }

  /** The events that concern one device. */
  public List<ScenarioEvent> eventsFor(String deviceId) {
    List<ScenarioEvent> out = new ArrayList<>();
    for (ScenarioEvent e : events) {
      if (e.appliesTo(deviceId)) {
        out.add(e);
      }
    }
    return out;
  }
}
