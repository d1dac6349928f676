package vn.lantern.rules;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import vn.lantern.common.telemetry.DeviceRef;
import vn.lantern.rules.rule.Scope;

/**
 * What the rules engine needs from the device registry: the registered devices (absence rules
 * expect them to report even if they never have), which zones exist (rules are validated against
 * them), how zones nest (KPIs roll up) and which were merged (old data stays findable). Lookups
 * must not block.
 */
public interface Directory {

  /** Every registered device. */
  Collection<DeviceRef> devices();

  /** Whether a zone id exists. */
  boolean zoneExists(String zone);

  /**
   * Reads the registry again now, where this is a copy of it (a cluster's rules node): after a
   * change made through another node that this node must see before it goes on.
   */
  default Future<Void> refresh() {
    return Future.succeededFuture();
  }

  /** Each zone's parent zone, by zone id (zones at the top have none). */
  default Map<String, String> zoneParents() {
    return Map.of();
  }

  /** The ids of zones merged into others: merged-away id → the zone it now belongs to. */
  default Map<String, String> zoneAliases() {
    return Map.of();
  }

  /** {@code zone} and the ids merged into it: the InfluxDB tag values of its stored data. */
  default List<String> storedUnder(String zone) {
    List<String> ids = new ArrayList<>();
    ids.add(zone);
    zoneAliases()
        .forEach(
            (alias, into) -> {
              if (into.equals(zone)) {
                ids.add(alias);
              }
            });
    return ids;
  }

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
