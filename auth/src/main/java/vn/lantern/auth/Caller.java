package vn.lantern.auth;

import java.util.Set;

/**
 * The authenticated user of a request.
 *
 * @param username who: a user name, {@code service} for the API token, {@code display:<id>} for a
 *     wall screen's display token
 * @param role what they may do
 * @param zones the zones of a zone manager, or the zones a display token is limited to (empty:
 *     every zone); empty for other roles
 * @param tokenId the {@code jti} of a token this node issued (it can be logged out), else null
 * @param expiresAtMs when that token expires (epoch milliseconds), 0 when there is none
 */
public record Caller(
    String username, Role role, Set<String> zones, String tokenId, long expiresAtMs) {

  public Caller {
    zones = Set.copyOf(zones);
  }

  /** A caller whose token cannot be revoked on its own (the service token, external issuers). */
  public Caller(String username, Role role, Set<String> zones) {
    this(username, role, zones, null, 0);
  }

  /** Whether the caller may see data of a zone. */
  public boolean canSee(String zone) {
    return switch (role) {
      case ZONE_MANAGER -> zones.contains(zone);
      case VIEWER -> zones.isEmpty() || zones.contains(zone);
      default -> true;
    };
  }

  /** Whether the caller may create, change and delete rules, and resolve alerts, in a zone. */
  public boolean canManage(String zone) {
    return role == Role.ADMIN || (role == Role.ZONE_MANAGER && zones.contains(zone));
  }

  /** The zones a listing is limited to, or null for every zone. */
  public Set<String> visibleZones() {
    return role == Role.ZONE_MANAGER || (role == Role.VIEWER && !zones.isEmpty()) ? zones : null;
  }
}
