package vn.lantern.rules;

import java.util.Collection;
import vn.lantern.common.telemetry.DeviceRef;

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
}
