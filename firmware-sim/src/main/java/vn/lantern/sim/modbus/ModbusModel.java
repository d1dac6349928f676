package vn.lantern.sim.modbus;

import vn.lantern.sim.scenario.DeviceType;

/** The Modbus device models the simulator serves, each with the gateway's shipped register map. */
public enum ModbusModel {
  WASTEWATER_ANALYSER("wastewater-analyser", DeviceType.WASTEWATER),
  ENERGY_METER("energy-meter", DeviceType.ENERGY);

  private final String mapName;
  private final DeviceType type;

  ModbusModel(String mapName, DeviceType type) {
    this.mapName = mapName;
    this.type = type;
  }

  /** Name of the gateway's shipped register map, also the command-line name. */
  public String mapName() {
    return mapName;
  }

  /** The sensor type whose signal model produces the values. */
  public DeviceType type() {
    return type;
  }

  /** Parses the command-line name ({@code wastewater-analyser}, {@code energy-meter}). */
  public static ModbusModel parse(String name) {
    for (ModbusModel m : values()) {
      if (m.mapName.equals(name)) {
        return m;
      }
    }
    throw new IllegalArgumentException(
        "unknown model '" + name + "': use wastewater-analyser or energy-meter");
  }
}
