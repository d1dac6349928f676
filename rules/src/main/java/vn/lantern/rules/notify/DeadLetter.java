package vn.lantern.rules.notify;

import io.vertx.core.json.JsonObject;

/**
 * A notification given up on after its last attempt.
 *
 * @param id id
 * @param alertId the alert it was about
 * @param ruleId the rule
 * @param zone the alert's zone
 * @param channel {@code webhook} or {@code mqtt}
 * @param target URL or topic
 * @param payload the JSON that could not be delivered
 * @param attempts how many times delivery was tried
 * @param lastError the last failure
 * @param failedAt epoch ms of the last attempt
 */
public record DeadLetter(
    String id,
    String alertId,
    String ruleId,
    String zone,
    String channel,
    String target,
    String payload,
    int attempts,
    String lastError,
    long failedAt) {

  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id)
        .put("alertId", alertId)
        .put("ruleId", ruleId)
        .put("zone", zone)
        .put("channel", channel)
        .put("target", target)
        .put("payload", new JsonObject(payload))
        .put("attempts", attempts)
        .put("lastError", lastError)
        .put("failedAt", failedAt);
  }
}
