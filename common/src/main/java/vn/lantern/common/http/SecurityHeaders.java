package vn.lantern.common.http;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.CSPHandler;
import io.vertx.ext.web.handler.XFrameHandler;

/**
 * The browser security headers every response of a node's HTTP server carries: a Content Security
 * Policy that allows only the node's own scripts, styles and connections (no inline script, no
 * framing), {@code X-Frame-Options: DENY}, {@code X-Content-Type-Options: nosniff} and {@code
 * Referrer-Policy: no-referrer}. No CORS handler is mounted, so browsers keep cross-origin pages
 * from reading the API.
 */
public final class SecurityHeaders {
  private SecurityHeaders() {}

  /** Mounts the headers on every route of {@code router}; call before any other handler. */
  public static void mount(Router router) {
    router
        .route()
        .handler(
            CSPHandler.create()
                .addDirective("default-src", "'self'")
                .addDirective("script-src", "'self'")
                .addDirective("style-src", "'self'")
                .addDirective("img-src", "'self' data:")
                .addDirective("connect-src", "'self'")
                .addDirective("object-src", "'none'")
                .addDirective("base-uri", "'none'")
                .addDirective("form-action", "'self'")
                .addDirective("frame-ancestors", "'none'"));
    router.route().handler(XFrameHandler.create(XFrameHandler.DENY));
    router
        .route()
        .handler(
            ctx -> {
              ctx.response()
                  .putHeader("X-Content-Type-Options", "nosniff")
                  .putHeader("Referrer-Policy", "no-referrer");
              ctx.next();
            });
  }
}
