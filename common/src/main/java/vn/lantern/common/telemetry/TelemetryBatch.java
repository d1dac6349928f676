package vn.lantern.common.telemetry;

import java.util.List;

/**
 * Validated, enriched readings of one device from one message: the unit that is stored and
 * published on the telemetry bus.
 *
 * @param device the device the readings belong to (from the registry, never from the payload)
 * @param readings the readings, in payload order
 * @param protocol the protocol the message arrived on, e.g. {@code mqtt}
 */
public record TelemetryBatch(DeviceRef device, List<Reading> readings, String protocol) {
  public TelemetryBatch {
    readings = List.copyOf(readings);
  }
}
