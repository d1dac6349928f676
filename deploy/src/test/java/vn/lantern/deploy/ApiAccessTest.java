package vn.lantern.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import vn.lantern.auth.Access;
import vn.lantern.auth.ApiGuard;
import vn.lantern.deploy.testing.TestNode;
import vn.lantern.testing.InfluxDbExtension;
import vn.lantern.testing.TestInflux;

/**
 * Walks the router of a node assembled as in production: every {@code /api/v1} route declares its
 * access, and over real HTTP none but the declared-open ones answer without a valid token.
 */
@ExtendWith(InfluxDbExtension.class)
class ApiAccessTest {
  @TempDir static Path dir;
  static TestNode node;

  @BeforeAll
  static void start(TestInflux influx) throws Exception {
    node = TestNode.builder(dir, influx).start();
  }

  @AfterAll
  static void stop() throws Exception {
    if (node != null) {
      node.close();
    }
  }

  /**
   * The {@code /api/v1} routes of the node, but the guard's own (the API reference below {@code
   * /api/docs} is static pages, open like the console's).
   */
  private static List<Route> apiRoutes() {
    List<Route> routes = new ArrayList<>();
    for (Route route : node.node().router().getRoutes()) {
      String path = path(route);
      if (path != null
          && path.startsWith("/api/v1/")
          && route.getMetadata(ApiGuard.METADATA) == null) {
        routes.add(route);
      }
    }
    return routes;
  }

  private static String path(Route route) {
    return route.getName() != null ? route.getName() : route.getPath();
  }

  @Test
  void everyApiRouteDeclaresItsAccess() {
    List<Route> routes = apiRoutes();
    assertTrue(routes.size() > 20, "expected the whole API, found " + routes.size() + " routes");
    List<String> undeclared = new ArrayList<>();
    for (Route route : routes) {
      if (!(route.getMetadata(Access.METADATA) instanceof Access)) {
        undeclared.add(route.methods() + " " + path(route));
      }
    }
    assertEquals(List.of(), undeclared, "API routes without an access declaration");
  }

  @Test
  void noUndeclaredOpenRouteAnswersWithoutAValidToken() {
    int open = 0;
    for (Route route : apiRoutes()) {
      Access access = route.getMetadata(Access.METADATA);
      assertFalse(route.methods().isEmpty(), () -> "route without a method: " + path(route));
      for (HttpMethod method : route.methods()) {
        String path = path(route).replaceAll(":[a-zA-Z]+", "x");
        for (String token : new String[] {null, "not-a-token"}) {
          int status = node.http(method.name(), path, null, token).status();
          if (access.isOpen() && token == null) {
            open++;
            assertNotEquals(401, status, () -> method + " " + path + " is declared open");
          } else {
            assertEquals(401, status, () -> method + " " + path + " with token " + token);
          }
        }
      }
    }
    assertEquals(1, open, "only POST /api/v1/login is open");
  }

  @Test
  void theDeclaredRoleIsEnforced() throws Exception {
    String operator = "operator-one";
    assertEquals(
        201,
        node.http(
                "POST",
                "/api/v1/users",
                new io.vertx.core.json.JsonObject()
                    .put("username", operator)
                    .put("password", "operator-password-1")
                    .put("role", "operator"))
            .status());
    String token =
        node.http(
                "POST",
                "/api/v1/login",
                new io.vertx.core.json.JsonObject()
                    .put("username", operator)
                    .put("password", "operator-password-1"),
                null)
            .json()
            .getString("token");
    assertEquals(403, node.http("GET", "/api/v1/devices", null, token).status());
    assertEquals(403, node.http("GET", "/api/v1/users", null, token).status());
    assertEquals(200, node.http("GET", "/api/v1/zones", null, token).status());
    assertEquals(200, node.http("GET", "/api/v1/rules", null, token).status());
  }

  @Test
  void theGuardRefusesAZoneManagerAZoneOutsideTheirZones() throws Exception {
    assertEquals(
        201,
        node.http(
                "POST",
                "/api/v1/users",
                new io.vertx.core.json.JsonObject()
                    .put("username", "tamky-only")
                    .put("password", "tam-ky-password-1")
                    .put("role", "zone-manager")
                    .put("zones", new io.vertx.core.json.JsonArray().add("tam-ky")))
            .status());
    String manager = node.login("tamky-only", "tam-ky-password-1");
    List<String> zoneScoped = new ArrayList<>();
    for (Route route : apiRoutes()) {
      Access access = route.getMetadata(Access.METADATA);
      if (access.zoneQuery() == null) {
        continue;
      }
      for (HttpMethod method : route.methods()) {
        String path = path(route) + "?" + access.zoneQuery() + "=";
        zoneScoped.add(method + " " + path(route));
        TestNode.Response other = node.http(method.name(), path + "hoi-an", null, manager);
        assertEquals(403, other.status(), () -> method + " " + path + "hoi-an: " + other.body());
        assertEquals("forbidden", other.json().getString("error"));
        int own = node.http(method.name(), path + "tam-ky", null, manager).status();
        assertNotEquals(403, own, () -> method + " " + path + "tam-ky");
      }
    }
    assertTrue(
        zoneScoped.containsAll(
            List.of(
                "GET /api/v1/kpis",
                "GET /api/v1/kpis/history",
                "GET /api/v1/alerts",
                "GET /api/v1/rules")),
        "zone-scoped routes: " + zoneScoped);
  }

  private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort() + path));
  }

  @Test
  void everyResponseCarriesTheBrowserSecurityHeaders() throws Exception {
    List<HttpResponse<String>> responses =
        List.of(
            send(request("/")),
            send(request("/api/v1/zones")),
            send(request("/api/v1/zones").header("Authorization", "Bearer not-a-token")),
            send(
                request("/api/v1/login")
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"username\": 1}"))),
            send(request("/no-such-page")),
            send(request("/metrics")));
    assertEquals(
        List.of(200, 401, 401, 400, 404, 200),
        responses.stream().map(HttpResponse::statusCode).toList());
    for (HttpResponse<String> r : responses) {
      String where = r.request().method() + " " + r.uri().getPath();
      String csp = r.headers().firstValue("Content-Security-Policy").orElse("");
      assertTrue(csp.contains("script-src 'self'"), where + ": " + csp);
      assertTrue(csp.contains("frame-ancestors 'none'"), where + ": " + csp);
      assertFalse(csp.contains("unsafe-inline") || csp.contains("unsafe-eval"), where + ": " + csp);
      assertEquals(List.of("DENY"), r.headers().allValues("X-Frame-Options"), where);
      assertEquals(List.of("nosniff"), r.headers().allValues("X-Content-Type-Options"), where);
      assertEquals(List.of("no-referrer"), r.headers().allValues("Referrer-Policy"), where);
    }
  }

  /**
   * The JDK's client (as {@link #send} uses it) asks a plain listener to upgrade to HTTP/2 ({@code
   * Upgrade: h2c}). Vert.x's upgrade path sometimes mixed HTTP/1.1 bytes into the upgraded
   * connection, so a response came as a protocol error or an early end of stream; the node answers
   * in HTTP/1.1 instead.
   */
  @Test
  void aPlainListenerAnswersAnHttp2UpgradeInHttp11() throws Exception {
    for (String path : List.of("/", "/metrics")) {
      HttpResponse<String> response = send(request(path));
      assertEquals(200, response.statusCode(), path);
      assertEquals(HttpClient.Version.HTTP_1_1, response.version(), path);
    }
  }

  @Test
  void theConsolePageHasNoInlineScript() throws Exception {
    String page = send(request("/")).body();
    Matcher scripts = Pattern.compile("<script\\b([^>]*)>([^<]*)</script>").matcher(page);
    int count = 0;
    while (scripts.find()) {
      count++;
      assertTrue(scripts.group(1).contains("src="), "a script without src: " + scripts.group());
      assertTrue(scripts.group(2).isBlank(), "an inline script: " + scripts.group());
    }
    assertTrue(count > 0, "the console page loads its script: " + page);
    assertFalse(page.matches("(?s).*\\son[a-z]+\\s*=.*"), "an inline event handler: " + page);
  }

  @Test
  void corsIsOffByDefault() throws Exception {
    String origin = "https://elsewhere.example";
    HttpResponse<String> get =
        send(request("/api/v1/zones").header("Origin", origin).header("Authorization", bearer()));
    assertEquals(200, get.statusCode(), get.body());
    HttpResponse<String> preflight =
        send(
            request("/api/v1/rules")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", origin)
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization, content-type"));
    for (HttpResponse<String> r : List.of(get, preflight)) {
      assertTrue(
          r.headers().map().keySet().stream()
              .noneMatch(h -> h.toLowerCase(Locale.ROOT).startsWith("access-control-")),
          r.request().method() + ": " + r.headers().map());
    }
  }

  private static String bearer() {
    String token =
        node.http(
                "POST",
                "/api/v1/login",
                new io.vertx.core.json.JsonObject()
                    .put("username", "admin")
                    .put("password", TestNode.ADMIN_PASSWORD),
                null)
            .json()
            .getString("token");
    return "Bearer " + token;
  }
}
