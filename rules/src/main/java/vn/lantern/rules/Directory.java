package vn.lantern.rules;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import vn.lantern.common.telemetry.DeviceRef;
import vn.lantern.rules.rule.Scope;

/**
 * What the rules engine needs from the device registry: the registered devices (absence rules
 * expect them to report even if they never have) and which zones exist (rules are validated against
 * them). Lookups must not block.
 */
public interface Directory {

  /** Every registered device. */
  Collection<DeviceRef> devices();

  /** Whether a zone id exists. */
  boolean zoneExists(String zone);

  /** The device types registered in {@code zone}: the measurements a rule there may read. */
  default Set<String> typesIn(String zone) {
    Set<String> types = new TreeSet<>();
    for (DeviceRef d : devices()) {
      if (d.zone().equals(zone)) {
        types.add(d.type());
      }
    }
    return types;
  }

  /** The registered devices a scope covers. */
  default List<DeviceRef> devicesIn(Scope scope) {
    return devices().stream().filter(scope::matches).toList();
  }
}
