package vn.lantern.gateway.store;

/**
 * A reading waiting in the queue.
 *
 * @param seq queue position; strictly increasing in arrival order
 * @param device device id the reading belongs to
 * @param metric metric name
 * @param value value
 * @param unit unit, or {@code null}
 * @param timestampMs epoch milliseconds the value was taken
 */
public record QueuedReading(
    long seq, String device, String metric, double value, String unit, long timestampMs) {}
