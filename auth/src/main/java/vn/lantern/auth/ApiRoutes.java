package vn.lantern.auth;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import vn.lantern.common.http.ApiErrors;

/**
 * The one way to mount an {@code /api/v1} route: with its {@link Access} declaration, enforced by
 * the route's first handler on the caller the {@link ApiGuard} authenticated.
 */
public final class ApiRoutes {
  private final Router router;

  public ApiRoutes(Router router) {
    this.router = router;
  }

  public Route get(String path, Access access, Handler<RoutingContext> handler) {
    return route(HttpMethod.GET, path, access, handler);
  }

  public Route post(String path, Access access, Handler<RoutingContext> handler) {
    return route(HttpMethod.POST, path, access, handler);
  }

  public Route put(String path, Access access, Handler<RoutingContext> handler) {
    return route(HttpMethod.PUT, path, access, handler);
  }

  public Route delete(String path, Access access, Handler<RoutingContext> handler) {
    return route(HttpMethod.DELETE, path, access, handler);
  }

  /** Mounts {@code handler} on {@code method path} behind {@code access}. */
  public Route route(
      HttpMethod method, String path, Access access, Handler<RoutingContext> handler) {
    Route route = router.route(method, path).putMetadata(Access.METADATA, access);
    if (!access.isOpen()) {
      route.handler(ctx -> enforce(access, ctx));
    }
    return route.handler(handler);
  }

  private static void enforce(Access access, RoutingContext ctx) {
    Caller caller = ctx.get(AuthService.CALLER);
    if (caller == null && access.cookieToken()) {
      caller = ctx.get(ApiGuard.COOKIE_CALLER);
      ctx.put(AuthService.CALLER, caller);
    }
    if (caller == null) {
      ApiGuard.refuse(ctx, access.cookieToken() && ctx.get(ApiGuard.COOKIE_REVOKED) != null);
      return;
    }
    String refusal = access.refusal(caller, ctx);
    if (refusal == null) {
      ctx.next();
    } else {
      ApiErrors.send(ctx, 403, "forbidden", refusal, null);
    }
  }
}
