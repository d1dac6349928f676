package vn.lantern.auth;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;

/**
 * An API user.
 *
 * @param username login name
 * @param passwordHash PBKDF2 hash, never the password
 * @param role role
 * @param zones zones of a zone manager
 */
public record User(String username, String passwordHash, Role role, Set<String> zones) {

  public Caller caller() {
    return new Caller(username, role, zones);
  }

  /** The public JSON view, without the hash. */
  public JsonObject toJson() {
    return new JsonObject()
        .put("username", username)
        .put("role", role.json())
        .put("zones", new JsonArray(List.copyOf(zones)));
  }
}
