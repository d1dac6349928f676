package vn.lantern.common.http;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.CorsHandler;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Cross-origin access to the API, off unless origins are configured ({@code http.corsOrigins}).
 * Only a request from a listed origin goes through Vert.x Web's {@link CorsHandler} and gets CORS
 * headers (never credentials: callers send a bearer token, cookies stay same-site); any other
 * request, same-origin ones included, passes untouched and without CORS headers, so a browser keeps
 * other origins' pages from reading the answer.
 */
public final class CorsPolicy {
  private CorsPolicy() {}

  /**
   * Mounts the policy on every route of {@code router} when {@code origins} lists any.
   *
   * @param origins comma-separated origins, e.g. {@code https://ops.example,https://a.example:8443}
   * @throws IllegalArgumentException naming an entry that is not an origin
   */
  public static void mount(Router router, String origins) {
    List<String> allowed = parse(origins);
    if (allowed.isEmpty()) {
      return;
    }
    CorsHandler cors =
        CorsHandler.create()
            .addOrigins(allowed)
            .allowedMethods(
                Set.of(
                    HttpMethod.GET,
                    HttpMethod.POST,
                    HttpMethod.PUT,
                    HttpMethod.DELETE,
                    HttpMethod.OPTIONS))
            .allowedHeaders(Set.of("Authorization", "Content-Type", "Accept", "Last-Event-ID"))
            .allowCredentials(false)
            .maxAgeSeconds(600);
    router
        .route()
        .handler(
            ctx -> {
              String origin = ctx.request().getHeader("Origin");
              if (origin != null && allowed.contains(origin)) {
                cors.handle(ctx);
              } else {
                ctx.next();
              }
            });
  }

  /**
   * The listed origins, each checked to be {@code scheme://host[:port]}.
   *
   * @throws IllegalArgumentException naming an entry that is not an origin
   */
  public static List<String> parse(String origins) {
    if (origins == null || origins.isBlank()) {
      return List.of();
    }
    return Arrays.stream(origins.split(","))
        .map(String::trim)
        .filter(o -> !o.isEmpty())
        .map(CorsPolicy::checked)
        .toList();
  }

  private static String checked(String origin) {
    try {
      URI uri = new URI(origin);
      if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
          && uri.getHost() != null
          && uri.getRawPath().isEmpty()
          && uri.getRawQuery() == null
          && uri.getRawUserInfo() == null) {
        return origin;
      }
    } catch (URISyntaxException e) {
      // answered below
    }
    throw new IllegalArgumentException(
        "http.corsOrigins: '" + origin + "' is not an origin like https://ops.example");
  }
}
