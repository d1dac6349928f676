package vn.lantern.ioc.push;

import io.vertx.core.json.JsonObject;

/**
 * A snapshot that could not be delivered to an endpoint after every attempt.
 *
 * @param endpoint {@code webhook} or {@code mqtt}
 * @param windowEnd the snapshot's window end, epoch ms
 * @param attempts attempts made
 * @param error the last failure
 * @param at epoch ms it was given up
 */
public record IocDeadLetter(String endpoint, long windowEnd, int attempts, String error, long at) {

  public JsonObject toJson() {
    return new JsonObject()
        .put("endpoint", endpoint)
        .put("windowEnd", windowEnd)
        .put("attempts", attempts)
        .put("error", error)
        .put("at", at);
  }
}
