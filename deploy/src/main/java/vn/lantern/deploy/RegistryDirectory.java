package vn.lantern.deploy;

import java.util.Collection;
import vn.lantern.common.telemetry.DeviceRef;
import vn.lantern.ingest.registry.Device;
import vn.lantern.ingest.registry.DeviceRegistry;
import vn.lantern.rules.Directory;

/** The rules engine's view of the ingest node's device registry (in-memory, non-blocking). */
public final class RegistryDirectory implements Directory {
  private final DeviceRegistry registry;

  public RegistryDirectory(DeviceRegistry registry) {
    this.registry = registry;
  }

  @Override
  public Collection<DeviceRef> devices() {
    return registry.devices().stream().filter(d -> !d.isGateway()).map(Device::ref).toList();
  }

  @Override
  public boolean zoneExists(String zone) {
    return registry.zone(zone).isPresent();
  }
}
