package vn.lantern.sim.scenario;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;

/**
 * A metric leaves its normal band: it ramps to {@code value} over the first tenth of the window,
 * holds, and ramps back over the last tenth (e.g. a COD breach at a park's wastewater outlet).
 *
 * @param metric the metric, e.g. {@code cod} or {@code ph}
 * @param value the level reached
 */
public record Excursion(
    @JsonProperty(required = true) String devices,
    @JsonProperty(required = true) String metric,
    @JsonProperty(required = true) Duration from,
    @JsonProperty(required = true) Duration to,
    @JsonProperty(required = true) double value)
    implements ScenarioEvent {

  public Excursion {
    ScenarioEvent.checkWindow(from, to);
  }

  /**
   * How far the excursion has taken over at {@code offset}: 0 outside the window, 1 while it holds.
   */
  public double weightAt(Duration offset) {
    long t = offset.toMillis();
    long a = from.toMillis();
    long b = to.toMillis();
    if (t < a || t > b) {
      return 0;
    }
    double ramp = Math.max(1, (b - a) / 10.0);
    return Math.min(1, Math.min((t - a) / ramp, (b - t) / ramp));
  }
}
