package vn.lantern.common.modbus;

import com.fasterxml.jackson.annotation.JsonCreator;
import java.util.Locale;

/**
 * Order of the two bytes inside a register ({@code byteOrder}) or of the two registers of a 32-bit
 * value ({@code wordOrder}). Modbus itself is big-endian; many devices swap words ("CDAB") and some
 * swap bytes ("BADC").
 */
public enum Endianness {
  BIG,
  LITTLE;

  @JsonCreator
  public static Endianness parse(String name) {
    return valueOf(name.trim().toUpperCase(Locale.ROOT));
  }
}
