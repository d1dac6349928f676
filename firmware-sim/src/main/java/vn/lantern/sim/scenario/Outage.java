package vn.lantern.sim.scenario;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;

/**
 * Devices stop sending for a while and come back.
 *
 * @param mode {@code silent}: the device measures nothing (power loss), so the gap stays in the
 *     data; {@code offline}: the uplink is down, the device keeps measuring into its bounded local
 *     queue and catches up when the link returns
 */
public record Outage(
    @JsonProperty(required = true) String devices,
    @JsonProperty(required = true) Duration from,
    @JsonProperty(required = true) Duration to,
    Mode mode)
    implements ScenarioEvent {

  /** What the outage takes away. */
  public enum Mode {
    @JsonProperty("silent")
    SILENT,
    @JsonProperty("offline")
    OFFLINE
  }

  public Outage {
    ScenarioEvent.checkWindow(from, to);
    mode = mode == null ? Mode.SILENT : mode;
  }

  /** Whether the outage is on at {@code offset}. */
  public boolean activeAt(Duration offset) {
    return offset.compareTo(from) >= 0 && offset.compareTo(to) < 0;
  }
}
