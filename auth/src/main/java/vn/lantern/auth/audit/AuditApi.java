package vn.lantern.auth.audit;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import vn.lantern.auth.Access;
import vn.lantern.auth.ApiRoutes;
import vn.lantern.auth.Role;
import vn.lantern.common.http.ApiErrors;
import vn.lantern.common.http.InvalidFieldException;

/**
 * {@code GET /api/v1/audit?from=&to=&actor=&action=&limit=&cursor=} (admins): the audit log newest
 * first, {@code {"entries": [...], "next": cursor or null}}.
 */
public final class AuditApi {
  private final AuditLog log;

  public AuditApi(AuditLog log) {
    this.log = log;
  }

  public void mount(ApiRoutes api) {
    api.get("/api/v1/audit", Access.role(Role.ADMIN), this::read);
  }

  private void read(RoutingContext ctx) {
    AuditQuery query;
    try {
      query = query(ctx);
    } catch (InvalidFieldException e) {
      ApiErrors.fail(ctx, e);
      return;
    }
    log.read(query)
        .onSuccess(
            page -> {
              JsonArray entries = new JsonArray();
              page.entries().forEach(e -> entries.add(e.toJson()));
              ApiErrors.json(
                  ctx, 200, new JsonObject().put("entries", entries).put("next", page.next()));
            })
        .onFailure(e -> ApiErrors.fail(ctx, e));
  }

  private static AuditQuery query(RoutingContext ctx) {
    var q = ctx.queryParams();
    int limit = AuditQuery.DEFAULT_LIMIT;
    if (q.get("limit") != null) {
      try {
        limit = Integer.parseInt(q.get("limit"));
      } catch (NumberFormatException e) {
        limit = 0;
      }
      if (limit < 1 || limit > AuditQuery.MAX_LIMIT) {
        throw new InvalidFieldException(
            "limit", "must be a whole number from 1 to " + AuditQuery.MAX_LIMIT);
      }
    }
    AuditQuery.Cursor cursor = null;
    if (q.get("cursor") != null) {
      cursor = AuditQuery.Cursor.parse(q.get("cursor"));
      if (cursor == null) {
        throw new InvalidFieldException("cursor", "must be the next value of a previous page");
      }
    }
    return new AuditQuery(
        time(q.get("from"), "from"),
        time(q.get("to"), "to"),
        blankToNull(q.get("actor")),
        blankToNull(q.get("action")),
        limit,
        cursor);
  }

  /** An ISO-8601 instant or epoch milliseconds, or null when absent. */
  private static Long time(String text, String field) {
    if (text == null || text.isBlank()) {
      return null;
    }
    try {
      return text.chars().allMatch(Character::isDigit)
          ? Long.parseLong(text)
          : Instant.parse(text).toEpochMilli();
    } catch (NumberFormatException | DateTimeParseException e) {
      throw new InvalidFieldException(
          field, "must be an ISO-8601 time (2026-11-30T08:00:00Z) or epoch milliseconds");
    }
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
