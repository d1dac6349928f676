package vn.lantern.rules.eval;

import java.util.Collection;
import vn.lantern.common.telemetry.DeviceRef;
import vn.lantern.rules.Directory;

/** A registry copy for engine tests: these devices, and every zone a rule names exists. */
record FixedDirectory(Collection<DeviceRef> devices) implements Directory {
  @Override
  public boolean zoneExists(String zone) {
    return true;
  }
}
