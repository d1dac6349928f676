package vn.lantern.common.http;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one error shape of every Lantern HTTP API: {@code {"error": code, "message": …, "field": …}}
 * with a matching HTTP status. Expected bad input is answered without a stack trace; anything else
 * is a 500 logged once with its cause.
 */
public final class ApiErrors {
  private static final Logger LOG = LoggerFactory.getLogger(ApiErrors.class);

  private ApiErrors() {}

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

  /**
   * Answers a failed operation: 400 for invalid input, 409 for input in conflict with the current
   * state, 500 for anything unexpected.
   */
  public static void fail(RoutingContext ctx, Throwable failure) {
    if (failure instanceof FieldConflictException conflict) {
      send(
          ctx,
          409,
          conflict.error(),
          conflict.field() + " " + conflict.getMessage(),
          conflict.field());
    } else if (failure instanceof InvalidFieldException invalid) {
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
      Object value = ctx.body().asJsonObject();
      if (value == null) {
        send(ctx, 400, "invalid_json", "a JSON object body is required", null);
      }
      return (JsonObject) value;
    } catch (DecodeException | ClassCastException e) {
      send(ctx, 400, "invalid_json", "the request body must be a JSON object", null);
      return null;
    }
  }

  /** Sends a JSON body with a status. */
  public static void json(RoutingContext ctx, int status, Object body) {
    ctx.response()
        .setStatusCode(status)
        .putHeader("content-type", "application/json")
        .end(body instanceof JsonObject o ? o.encode() : io.vertx.core.json.Json.encode(body));
  }
}
