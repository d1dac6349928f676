package vn.lantern.auth.audit;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * One security-relevant action.
 *
 * @param id the row's id (0 before it is stored)
 * @param timeMs when (epoch milliseconds)
 * @param actor who: a user name, {@code service} (the API token), {@code display:<id>}, or the user
 *     name tried at a refused login
 * @param address the client's IP address, or null
 * @param action what, e.g. {@code login}, {@code user.update}, {@code device.delete}
 * @param target what it was done to (a user name, device id, rule id...), or null
 * @param outcome {@code ok} or {@code refused}
 * @param detail more, without secrets (e.g. which fields changed), or null
 */
public record AuditEntry(
    long id,
    long timeMs,
    String actor,
    String address,
    String action,
    String target,
    String outcome,
    String detail) {

  /** The outcome of an action that was done. */
  public static final String OK = "ok";

  /** The outcome of an action that was refused. */
  public static final String REFUSED = "refused";

  public JsonObject toJson() {
    return new JsonObject()
        .put("time", Instant.ofEpochMilli(timeMs).toString())
        .put("actor", actor)
        .put("address", address)
        .put("action", action)
        .put("target", target)
        .put("outcome", outcome)
        .put("detail", detail);
  }
}
