package vn.lantern.auth;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.EnumSet;
import java.util.Set;

/**
 * What an {@code /api/v1} route needs from its caller. Every API route declares one through {@link
 * ApiRoutes}; the {@link ApiGuard} authenticates the caller and the route's first handler enforces
 * the declaration.
 *
 * @param isOpen reachable without a token
 * @param roles the roles allowed (every role when empty)
 * @param zoneParam path parameter naming the zone the caller must be able to see, or null
 * @param zoneQuery query parameter naming that zone (optional in the request), or null
 * @param zoneField top-level JSON body field naming that zone, or null
 * @param cookieToken the token may come from the console's cookie (EventSource cannot set headers)
 */
public record Access(
    boolean isOpen,
    Set<Role> roles,
    String zoneParam,
    String zoneQuery,
    String zoneField,
    boolean cookieToken) {
  /** Route metadata key under which the declaration is kept (read by the router walk in tests). */
  public static final String METADATA = "lantern.access";

  public Access {
    roles = roles.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(roles));
  }

  /** Reachable by anyone (e.g. signing in). */
  public static Access open() {
    return new Access(true, Set.of(), null, null, null, false);
  }

  /** Any signed-in caller. */
  public static Access signedIn() {
    return new Access(false, Set.of(), null, null, null, false);
  }

  /** A signed-in caller with one of these roles. */
  public static Access role(Role first, Role... more) {
    return new Access(false, EnumSet.of(first, more), null, null, null, false);
  }

  /** Also requires that the caller may see the zone named by path parameter {@code param}. */
  public Access zoneFromPath(String param) {
    return new Access(isOpen, roles, param, zoneQuery, zoneField, cookieToken);
  }

  /**
   * Also requires, when the request names a zone in query parameter {@code param}, that the caller
   * may see it.
   */
  public Access zoneFromQuery(String param) {
    return new Access(isOpen, roles, zoneParam, param, zoneField, cookieToken);
  }

  /** Also requires that the caller may see the zone named by JSON body field {@code field}. */
  public Access zoneFromBody(String field) {
    return new Access(isOpen, roles, zoneParam, zoneQuery, field, cookieToken);
  }

  /** Also accepts the token from the console's cookie. */
  public Access withCookieToken() {
    return new Access(isOpen, roles, zoneParam, zoneQuery, zoneField, true);
  }

  /** Why {@code caller} may not make this request, or null when it may. */
  String refusal(Caller caller, RoutingContext ctx) {
    if (caller.role() == Role.VIEWER && ctx.request().method() != HttpMethod.GET) {
      return "a display token only reads";
    }
    if (!roles.isEmpty() && !roles.contains(caller.role())) {
      return roles.size() == 1
          ? roles.iterator().next().json() + " role required"
          : "one of the roles " + roles.stream().map(Role::json).sorted().toList() + " required";
    }
    String zone = null;
    if (zoneParam != null) {
      zone = ctx.pathParam(zoneParam);
    } else if (zoneQuery != null) {
      String named = ctx.queryParams().get(zoneQuery);
      zone = named == null || named.isBlank() ? null : named.trim();
    } else if (zoneField != null && ctx.body().length() > 0) {
      try {
        JsonObject body = ctx.body().asJsonObject();
        zone = body == null ? null : body.getValue(zoneField) instanceof String z ? z : null;
      } catch (RuntimeException e) {
        // A malformed body is the route's to refuse, with the field at fault.
        zone = null;
      }
    }
    if (zone != null && !caller.canSee(zone)) {
      return "no access to zone '" + zone + "'";
    }
    return null;
  }
}
