package vn.lantern.rules.rule;

import java.util.Set;
import vn.lantern.common.telemetry.DeviceRef;

/**
 * Which devices a rule watches.
 *
 * @param zone the zone (required); a zone manager may only use their own zones
 * @param site the site, or null for every site of the zone
 * @param type the device type, or null for every type
 * @param devices device ids, or empty for every matching device
 */
public record Scope(String zone, String site, String type, Set<String> devices) {

  public Scope {
    devices = Set.copyOf(devices);
  }

  /** Whether a device falls in this scope. */
  public boolean matches(DeviceRef device) {
    return zone.equals(device.zone())
        && (site == null || site.equals(device.site()))
        && (type == null || type.equals(device.type()))
        && (devices.isEmpty() || devices.contains(device.id()));
  }
}
