package vn.lantern.common.modbus;

/**
 * One value in a device's register map.
 *
 * @param metric Lantern metric name, e.g. {@code ph}
 * @param address zero-based register address (protocol address, not the 4xxxx label)
 * @param type register layout
 * @param byteOrder byte order inside each register; {@code null} takes the map's default
 * @param wordOrder register order of 32-bit values; {@code null} takes the map's default
 * @param scale factor applied to the raw value ({@code 0.1} for a value sent in tenths); {@code
 *     null} means 1
 * @param unit unit of the scaled value, informative (SenML {@code u})
 */
public record RegisterSpec(
    String metric,
    int address,
    RegisterType type,
    Endianness byteOrder,
    Endianness wordOrder,
    Double scale,
    String unit) {

  /** The scale to apply, 1 when unset. */
  public double effectiveScale() {
    return scale == null ? 1.0 : scale;
  }
}
