package vn.lantern.gateway.store;

/**
 * A reading to append to the queue.
 *
 * @param device device id the reading belongs to
 * @param metric metric name
 * @param value value
 * @param unit unit, or {@code null}
 * @param timestampMs epoch milliseconds the value was taken
 */
public record NewReading(
    String device, String metric, double value, String unit, long timestampMs) {}
