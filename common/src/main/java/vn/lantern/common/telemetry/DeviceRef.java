package vn.lantern.common.telemetry;

/**
 * Who a batch of readings belongs to, as resolved from the device registry after authentication.
 *
 * @param id device id (InfluxDB tag {@code device})
 * @param type device type, which is also the InfluxDB measurement, e.g. {@code water_level}
 * @param zone zone id (InfluxDB tag {@code zone}), e.g. {@code hoi-an}
 * @param site site name (InfluxDB tag {@code site}), free text such as {@code Điện Bàn}
 */
public record DeviceRef(String id, String type, String zone, String site) {}
