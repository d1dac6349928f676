package vn.lantern.auth;

/** What an API user may do. */
public enum Role {
  /** Everything, in every zone, including users and devices. */
  ADMIN("admin"),
  /** Creates, changes and deletes rules, and handles alerts, in their own zones only. */
  ZONE_MANAGER("zone-manager"),
  /** Reads rules and alerts everywhere and acknowledges alerts. */
  OPERATOR("operator"),
  /**
   * Reads KPIs, alerts and the live stream, in all zones or the listed ones, and never writes: the
   * role of wall screens' display tokens, not of users.
   */
  VIEWER("viewer");

  private final String json;

  Role(String json) {
    this.json = json;
  }

  public String json() {
    return json;
  }

  /** Parses the role of a user (admin, zone-manager or operator); null for anything else. */
  public static Role parseUserRole(Object value) {
    Role role = parse(value);
    return role == VIEWER ? null : role;
  }

  /** Parses a JSON name; returns null for an unknown one. */
  public static Role parse(Object value) {
    for (Role role : values()) {
      if (role.json.equals(value)) {
        return role;
      }
    }
    return null;
  }
}
