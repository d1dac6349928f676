package vn.lantern.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
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
 * {@code docs/openapi.yaml} against the router of a node with every module mounted: each route is
 * documented, each documented operation has a route, the open ones (and only those) say they need
 * no token, and the node serves the document and its reference page at {@code /api/docs}.
 */
@ExtendWith(InfluxDbExtension.class)
class OpenApiDocumentTest {
  private static final Path DOCUMENT = ShellRun.ROOT.resolve("docs/openapi.yaml");
  private static final Set<String> OPERATIONS = Set.of("get", "put", "post", "delete", "patch");

  /**
   * Routes serving files rather than operations: the console's {@code /*} and the reference page's
   * {@code /api/docs/*} (Vert.x reports a wildcard route's path without its {@code *}).
   */
  private static final Set<String> FILE_ROUTES = Set.of("/", "/api/docs/");

  @TempDir static Path dir;
  static TestNode node;
  static JsonNode spec;

  @BeforeAll
  static void start(TestInflux influx) throws Exception {
    // A key twice (e.g. a path lost in a merge, its operations landing under the path before) is
    // an error, not "the last one wins".
    spec =
        new ObjectMapper(new YAMLFactory())
            .enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .readTree(DOCUMENT.toFile());
    node = TestNode.builder(dir, influx).start();
  }

  @AfterAll
  static void stop() throws Exception {
    if (node != null) {
      node.close();
    }
  }

  /** "METHOD /path/{param}" of every operation route of the node, with whether it is open. */
  private static Map<String, Boolean> routes() {
    Map<String, Boolean> routes = new TreeMap<>();
    for (Route route : node.node().router().getRoutes()) {
      String path = route.getName() != null ? route.getName() : route.getPath();
      if (path == null || route.getMetadata(ApiGuard.METADATA) != null) {
        continue; // handlers for every request (headers, bodies) and the API guard itself
      }
      if (FILE_ROUTES.contains(path)) {
        continue;
      }
      String template = path.replaceAll(":([A-Za-z]+)", "{$1}");
      boolean open =
          !(route.getMetadata(Access.METADATA) instanceof Access access) || access.isOpen();
      if (route.methods() == null || route.methods().isEmpty()) {
        routes.put("ANY " + template, open);
        continue;
      }
      for (HttpMethod method : route.methods()) {
        routes.put(method.name() + " " + template, open);
      }
    }
    return routes;
  }

  /** "METHOD /path" of every documented operation, with whether it declares no security. */
  private static Map<String, Boolean> documented() {
    Map<String, Boolean> operations = new TreeMap<>();
    spec.get("paths")
        .properties()
        .forEach(
            path ->
                path.getValue()
                    .properties()
                    .forEach(
                        op -> {
                          if (OPERATIONS.contains(op.getKey())) {
                            JsonNode security = op.getValue().get("security");
                            operations.put(
                                op.getKey().toUpperCase(java.util.Locale.ROOT)
                                    + " "
                                    + path.getKey(),
                                security != null && security.isEmpty());
                          }
                        }));
    return operations;
  }

  @Test
  void everyRouteIsDocumentedAndEveryDocumentedOperationHasARoute() {
    Map<String, Boolean> routes = routes();
    Map<String, Boolean> documented = documented();
    assertTrue(routes.size() > 30, "expected the whole node, found " + routes.keySet());
    Set<String> undocumented = new TreeSet<>(routes.keySet());
    undocumented.removeAll(documented.keySet());
    Set<String> withoutRoute = new TreeSet<>(documented.keySet());
    withoutRoute.removeAll(routes.keySet());
    assertEquals(Set.of(), undocumented, "routes missing from docs/openapi.yaml");
    assertEquals(Set.of(), withoutRoute, "operations in docs/openapi.yaml without a route");
  }

  @Test
  void exactlyTheOpenRoutesAreDocumentedWithoutSecurity() {
    Map<String, Boolean> documented = documented();
    List<String> wrong = new ArrayList<>();
    routes()
        .forEach(
            (operation, open) -> {
              if (documented.containsKey(operation) && !open.equals(documented.get(operation))) {
                wrong.add(operation + (open ? " is open" : " needs a token"));
              }
            });
    assertEquals(List.of(), wrong, "security in docs/openapi.yaml disagrees with the routes");
  }

  @Test
  void theDocumentIsOpenApi31WithEveryWayToAuthenticate() {
    assertEquals("3.1.0", spec.get("openapi").asText());
    JsonNode schemes = spec.at("/components/securitySchemes");
    assertEquals("bearer", schemes.at("/bearer/scheme").asText());
    assertEquals("bearer", schemes.at("/serviceToken/scheme").asText());
    assertEquals("openIdConnect", schemes.at("/oidc/type").asText());
    assertEquals("cookie", schemes.at("/cookie/in").asText());
    assertEquals(ApiGuard.TOKEN_COOKIE, schemes.at("/cookie/name").asText());
  }

  @Test
  void theNodeServesTheDocumentAndItsReferencePage() throws Exception {
    TestNode.Response redirect = node.http("GET", "/api/docs", null, null);
    assertEquals(302, redirect.status(), redirect.body());
    TestNode.Response page = node.http("GET", "/api/docs/", null, null);
    assertEquals(200, page.status(), page.body());
    assertTrue(page.body().contains("<script src=\"swagger-ui-bundle.js\">"), page.body());
    TestNode.Response served = node.http("GET", "/api/docs/openapi.yaml", null, null);
    assertEquals(200, served.status());
    assertEquals(Files.readString(DOCUMENT), served.body());
  }
}
