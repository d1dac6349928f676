package vn.lantern.auth;

/** What an API user may do. */
public enum Role {
  /** Everything, in every zone, including users and devices. */
  ADMIN("admin"),
  /** Creates, changes and deletes rules, and handles alerts, in their own zones only. */
  ZONE_MANAGER("zone-manager"),
  /** Reads rules and alerts everywhere and acknowledges alerts. */
  OPERATOR("operator");

  private final String json;

  Role(String json) {
    this.json = json;
  }

  public String json() {
    return json;
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
