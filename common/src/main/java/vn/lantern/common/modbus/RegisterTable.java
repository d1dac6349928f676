package vn.lantern.common.modbus;

import com.fasterxml.jackson.annotation.JsonCreator;
import java.util.Locale;

/** The Modbus table a map reads: holding registers (function 3) or input registers (function 4). */
public enum RegisterTable {
  HOLDING,
  INPUT;

  @JsonCreator
  public static RegisterTable parse(String name) {
    return valueOf(name.trim().toUpperCase(Locale.ROOT));
  }
}
