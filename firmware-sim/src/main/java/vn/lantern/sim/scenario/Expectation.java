package vn.lantern.sim.scenario;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;

/**
 * What a drill promises its trainees, e.g. "the Hoi An gauge crosses alarm 2 (1.5 m) at 4h". Tests
 * check the simulated data against it.
 *
 * @param at offset from the scenario's start
 * @param device the device id
 * @param metric the metric
 * @param crosses the level first reached (upwards) at {@code at}
 * @param note what it means, e.g. {@code alarm 2}
 */
public record Expectation(
    @JsonProperty(required = true) Duration at,
    @JsonProperty(required = true) String device,
    @JsonProperty(required = true) String metric,
    @JsonProperty(required = true) double crosses,
    String note) {}
