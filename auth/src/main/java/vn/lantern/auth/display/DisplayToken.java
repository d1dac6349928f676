package vn.lantern.auth.display;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Set;

/**
 * A wall screen's long-lived, read-only token (role {@code viewer}), listed and revoked by admins.
 * The token itself is shown once, at creation, and never stored.
 *
 * @param id its id (also the token's {@code jti})
 * @param name what the admin calls the screen, e.g. "IOC wall 1"
 * @param zones the zones it shows (empty: every zone)
 * @param createdBy the admin who created it
 * @param createdAtMs when (epoch milliseconds)
 * @param expiresAtMs when the token expires
 */
public record DisplayToken(
    String id,
    String name,
    Set<String> zones,
    String createdBy,
    long createdAtMs,
    long expiresAtMs) {

  public DisplayToken {
    zones = Set.copyOf(zones);
  }

  /** The caller name a display token's requests carry (in the audit log, for example). */
  public static String callerName(String id) {
    return "display:" + id;
  }

  /** The JSON view, without the token. */
  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id)
        .put("name", name)
        .put("zones", new JsonArray(zones.stream().sorted().toList()))
        .put("createdBy", createdBy)
        .put("createdAt", Instant.ofEpochMilli(createdAtMs).toString())
        .put("expiresAt", Instant.ofEpochMilli(expiresAtMs).toString());
  }
}
