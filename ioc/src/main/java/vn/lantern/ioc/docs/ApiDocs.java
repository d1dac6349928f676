package vn.lantern.ioc.docs;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.StaticHandler;

/**
 * The API reference at {@code /api/docs/}: the OpenAPI document ({@code /api/docs/openapi.yaml})
 * rendered by Swagger UI, both bundled into the classpath at build time. Open to everyone, like the
 * console's own files: it describes the API and holds no data.
 */
public final class ApiDocs {
  /** The path of the reference page; its files are served below it. */
  public static final String PATH = "/api/docs";

  private ApiDocs() {}

  /** Mounts the page and its files on {@code router}. */
  public static void mount(Router router) {
    // The route matches "/api/docs/" as well (Vert.x ignores a trailing slash): only the bare
    // path is redirected, so the page's relative links resolve below it.
    router
        .get(PATH)
        .handler(
            ctx -> {
              if (ctx.request().path().endsWith("/")) {
                ctx.next();
              } else {
                ctx.redirect(PATH + "/");
              }
            });
    router.get(PATH + "/*").handler(StaticHandler.create("api-docs").setCachingEnabled(false));
  }
}
