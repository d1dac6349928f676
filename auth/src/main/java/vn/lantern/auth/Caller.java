package vn.lantern.auth;

import java.util.Set;

/**
 * The authenticated user of a request.
 *
 * @param username who
 * @param role what they may do
 * @param zones the zones of a zone manager (empty for other roles)
 */
public record Caller(String username, Role role, Set<String> zones) {

  public Caller {
    zones = Set.copyOf(zones);
  }

  /** Whether the caller may see data of a zone. */
  public boolean canSee(String zone) {
    return role != Role.ZONE_MANAGER || zones.contains(zone);
  }

  /** Whether the caller may create, change and delete rules, and resolve alerts, in a zone. */
  public boolean canManage(String zone) {
    return role == Role.ADMIN || (role == Role.ZONE_MANAGER && zones.contains(zone));
  }

  /** The zones a listing is limited to, or null for every zone. */
  public Set<String> visibleZones() {
    return role == Role.ZONE_MANAGER ? zones : null;
  }
}
