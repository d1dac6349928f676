package vn.lantern.deploy;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import vn.lantern.common.telemetry.DeviceRef;
import vn.lantern.ingest.registry.Device;
import vn.lantern.ingest.registry.DeviceRegistry;
import vn.lantern.ingest.registry.Zone;
import vn.lantern.rules.Directory;

/** The rules engine's view of the ingest node's device registry (in-memory, non-blocking). */
public final class RegistryDirectory implements Directory {
  private final DeviceRegistry registry;

  /**
   * The refs of the registry's last snapshot: the engines ask every second, and the registry hands
   * out the same list until it changes.
   */
  private volatile Refs refs = new Refs(null, List.of());

  private record Refs(List<Device> from, List<DeviceRef> refs) {}

  public RegistryDirectory(DeviceRegistry registry) {
    this.registry = registry;
  }

  @Override
  public Collection<DeviceRef> devices() {
    List<Device> all = registry.devices();
    Refs current = refs;
    if (current.from() != all) {
      current = new Refs(all, all.stream().filter(d -> !d.isGateway()).map(Device::ref).toList());
      refs = current;
    }
    return current.refs();
  }

  @Override
  public boolean zoneExists(String zone) {
    return registry.zone(zone).isPresent();
  }

  @Override
  public Map<String, String> zoneParents() {
    Map<String, String> parents = new HashMap<>();
    for (Zone z : registry.zones()) {
      if (z.parent() != null) {
        parents.put(z.id(), z.parent());
      }
    }
    return parents;
  }

  @Override
  public Map<String, String> zoneAliases() {
    return registry.aliases();
  }
}
