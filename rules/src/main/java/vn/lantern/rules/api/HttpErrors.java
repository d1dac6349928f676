package vn.lantern.rules.api;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.lantern.rules.rule.InvalidRuleException;

/**
 * The API's error shape, the same as the ingest node's: {@code {"error": code, "message": …,
 * "field": …}} with a matching HTTP status. Expected bad input is answered without a stack trace.
 */
public final class HttpErrors {
  private static final Logger LOG = LoggerFactory.getLogger(HttpErrors.class);

  private HttpErrors() {}

  /** Sends an error response. */
  public static void send(
      RoutingContext ctx, int status, String error, String message, String field) {
    JsonObject body = new JsonObject().put("error", error).put("message", message);
    if (field != null) {
      body.put("field", field);
    }
    ctx.response()
        .setStatusCode(status)
        .putHeader("content-type", "application/json")
        .end(body.encode());
  }

  /** Answers a failed operation: 400 for invalid input, 500 for anything unexpected. */
  public static void fail(RoutingContext ctx, Throwable failure) {
    if (failure instanceof InvalidRuleException invalid) {
      send(
          ctx, 400, "invalid_field", invalid.field() + " " + invalid.getMessage(), invalid.field());
    } else if (failure instanceof DecodeException) {
      send(ctx, 400, "invalid_json", "the request body is not valid JSON", null);
    } else {
      LOG.error(
          "event=api_error path={} error=\"{}\"",
          ctx.normalizedPath(),
          failure.toString(),
          failure);
      send(ctx, 500, "internal", "internal error", null);
    }
  }

  /** Parses the request body as a JSON object, or answers 400 and returns null. */
  public static JsonObject jsonBody(RoutingContext ctx) {
    try {
      JsonObject value = ctx.body() == null ? null : ctx.body().asJsonObject();
      if (value == null) {
        send(ctx, 400, "invalid_json", "a JSON object body is required", null);
      }
      return value;
    } catch (DecodeException | ClassCastException e) {
      send(ctx, 400, "invalid_json", "the request body must be a JSON object", null);
      return null;
    }
  }

  /** Sends a JSON body with a status. */
  public static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response()
        .setStatusCode(status)
        .putHeader("content-type", "application/json")
        .end(body.encode());
  }
}
