package vn.lantern.common.telemetry;

/**
 * One measured value of one metric at one instant, as decoded from a device payload.
 *
 * <p>Identity (device, zone, site, type) is deliberately absent: it comes from the authenticated
 * credentials, never from the payload.
 *
 * @param metric metric name, e.g. {@code pm25}; validated against {@code [a-z][a-z0-9_]{0,63}}
 * @param value the value; only finite numbers are accepted
 * @param timestampMs epoch milliseconds
 */
public record Reading(String metric, double value, long timestampMs) {}
