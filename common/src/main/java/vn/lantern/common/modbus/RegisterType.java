package vn.lantern.common.modbus;

import com.fasterxml.jackson.annotation.JsonCreator;
import java.util.Locale;

/** How a value is laid out in 16-bit Modbus registers. */
public enum RegisterType {
  INT16(1),
  UINT16(1),
  INT32(2),
  UINT32(2),
  FLOAT32(2);

  private final int words;

  RegisterType(int words) {
    this.words = words;
  }

  /** Registers (16-bit words) the value occupies. */
  public int words() {
    return words;
  }

  /** Accepts the lower-case names used in register map files ({@code float32}). */
  @JsonCreator
  public static RegisterType parse(String name) {
    return valueOf(name.trim().toUpperCase(Locale.ROOT));
  }
}
