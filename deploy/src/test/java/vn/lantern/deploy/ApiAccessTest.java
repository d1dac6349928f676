package vn.lantern.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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

  /** The {@code /api/v1} routes of the node, but the guard's own. */
  private static List<Route> apiRoutes() {
    List<Route> routes = new ArrayList<>();
    for (Route route : node.node().router().getRoutes()) {
      String path = path(route);
      if (path != null
          && path.startsWith("/api/")
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
}
