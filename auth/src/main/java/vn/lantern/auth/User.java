package vn.lantern.auth;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * An API user.
 *
 * @param username login name
 * @param passwordHash PBKDF2 hash, never the password
 * @param role role
 * @param zones zones of a zone manager
 * @param disabled refused at login, and their tokens are refused
 * @param tokenVersion carried by every token issued to the user ({@code ver}); raised by every
 *     change that must end the user's sessions, so older tokens are refused
 */
public record User(
    String username,
    String passwordHash,
    Role role,
    Set<String> zones,
    boolean disabled,
    long tokenVersion) {

  public User {
    zones = Set.copyOf(zones);
  }

  /** A new, enabled user. */
  public User(String username, String passwordHash, Role role, Set<String> zones) {
    this(username, passwordHash, role, zones, false, 0);
  }

  /** Whether this user is an enabled admin (there must always be one). */
  public boolean isEnabledAdmin() {
    return role == Role.ADMIN && !disabled;
  }

  /** The public JSON view, without the hash. */
  public JsonObject toJson() {
    return new JsonObject()
        .put("username", username)
        .put("role", role.json())
        .put("zones", new JsonArray(zones.stream().sorted().toList()))
        .put("disabled", disabled);
  }
}
