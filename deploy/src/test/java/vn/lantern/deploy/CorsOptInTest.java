package vn.lantern.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import vn.lantern.common.config.ConfigLoader.ConfigException;
import vn.lantern.deploy.testing.TestNode;
import vn.lantern.testing.InfluxDbExtension;
import vn.lantern.testing.TestInflux;

/**
 * CORS turned on for one origin ({@code http.corsOrigins}) over real HTTP: that origin's pages may
 * read the API (without credentials), any other origin gets no CORS headers, and same-origin calls
 * go on as before.
 */
@ExtendWith(InfluxDbExtension.class)
class CorsOptInTest {
  static final String ALLOWED = "https://ops.example";

  @TempDir static Path dir;
  static TestNode node;

  @BeforeAll
  static void start(TestInflux influx) throws Exception {
    node =
        TestNode.builder(dir, influx)
            .set("http.corsOrigins", ALLOWED + ", https://b.example:8443")
            .start();
  }

  @AfterAll
  static void stop() throws Exception {
    if (node != null) {
      node.close();
    }
  }

  private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(node.apiUrl() + path));
  }

  private static HttpRequest.Builder preflight(String origin) {
    return request("/api/v1/rules")
        .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
        .header("Origin", origin)
        .header("Access-Control-Request-Method", "POST")
        .header("Access-Control-Request-Headers", "authorization, content-type");
  }

  private static boolean hasCorsHeaders(HttpResponse<String> r) {
    return r.headers().map().keySet().stream()
        .anyMatch(h -> h.toLowerCase(Locale.ROOT).startsWith("access-control-"));
  }

  @Test
  void theListedOriginMayReadTheApiWithoutCredentials() throws Exception {
    HttpResponse<String> get =
        send(
            request("/api/v1/zones")
                .header("Origin", ALLOWED)
                .header("Authorization", "Bearer " + TestNode.SERVICE_TOKEN));
    assertEquals(200, get.statusCode(), get.body());
    assertEquals(List.of(ALLOWED), get.headers().allValues("Access-Control-Allow-Origin"));
    assertTrue(get.headers().firstValue("Access-Control-Allow-Credentials").isEmpty());

    HttpResponse<String> pre = send(preflight(ALLOWED));
    assertTrue(pre.statusCode() == 200 || pre.statusCode() == 204, pre.statusCode() + pre.body());
    assertEquals(List.of(ALLOWED), pre.headers().allValues("Access-Control-Allow-Origin"));
    String methods = pre.headers().firstValue("Access-Control-Allow-Methods").orElse("");
    assertTrue(methods.contains("POST"), methods);
    String headers =
        pre.headers()
            .firstValue("Access-Control-Allow-Headers")
            .orElse("")
            .toLowerCase(Locale.ROOT);
    assertTrue(headers.contains("authorization"), headers);
    assertTrue(pre.headers().firstValue("Access-Control-Allow-Credentials").isEmpty());
    // The security headers stay on CORS answers too.
    assertEquals(List.of("nosniff"), pre.headers().allValues("X-Content-Type-Options"));
  }

  @Test
  void otherOriginsGetNoCorsHeaders() throws Exception {
    HttpResponse<String> get =
        send(
            request("/api/v1/zones")
                .header("Origin", "https://elsewhere.example")
                .header("Authorization", "Bearer " + TestNode.SERVICE_TOKEN));
    assertFalse(hasCorsHeaders(get), get.headers().map().toString());
    HttpResponse<String> pre = send(preflight("https://elsewhere.example"));
    assertFalse(hasCorsHeaders(pre), pre.headers().map().toString());
    // A look-alike of the allowed origin is another origin.
    HttpResponse<String> lookAlike = send(preflight("https://ops.example.attacker.example"));
    assertFalse(hasCorsHeaders(lookAlike), lookAlike.headers().map().toString());
  }

  @Test
  void sameOriginCallsGoOnAsBefore() throws Exception {
    HttpResponse<String> login =
        send(
            request("/api/v1/login")
                .header("Origin", node.apiUrl())
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"username\":\"admin\",\"password\":\""
                            + TestNode.ADMIN_PASSWORD
                            + "\"}")));
    assertEquals(200, login.statusCode(), login.body());
  }

  @Test
  void aMalformedOriginIsRefusedAtStart() throws Exception {
    Path file =
        Files.writeString(dir.resolve("bad-cors.yaml"), "http:\n  corsOrigins: ops.example/path\n");
    ConfigException e = assertThrows(ConfigException.class, () -> NodeConfig.load(file, Map.of()));
    assertTrue(e.getMessage().contains("ops.example/path"), e.getMessage());
    assertThrows(
        ConfigException.class,
        () -> NodeConfig.load(null, Map.of("LANTERN_CORS_ORIGINS", "https://ok.example,*")));
  }
}
