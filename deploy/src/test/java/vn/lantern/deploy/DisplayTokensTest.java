package vn.lantern.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import vn.lantern.auth.ApiGuard;
import vn.lantern.deploy.testing.TestNode;
import vn.lantern.deploy.testing.TestNode.Response;
import vn.lantern.testing.InfluxDbExtension;
import vn.lantern.testing.TestInflux;

/**
 * Display tokens of wall screens over real HTTP: created by an admin and shown once, they read
 * KPIs, alerts and the live stream, are refused on every write and on admin reads, and are revoked
 * at once when deleted.
 */
@ExtendWith(InfluxDbExtension.class)
class DisplayTokensTest {
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

  static JsonObject create(String name, JsonArray zones) {
    Response r =
        node.http(
            "POST",
            "/api/v1/display-tokens",
            new JsonObject().put("name", name).put("zones", zones).put("days", 30));
    assertEquals(201, r.status(), r.body());
    return r.json();
  }

  @Test
  void aDisplayTokenReadsTheWallAndIsRevokedWhenDeleted() throws Exception {
    JsonObject created = create("IOC wall 1", new JsonArray());
    String token = created.getString("token");
    assertEquals("IOC wall 1", created.getString("name"));
    long days =
        (java.time.Instant.parse(created.getString("expiresAt")).toEpochMilli()
                - java.time.Instant.parse(created.getString("createdAt")).toEpochMilli())
            / 86_400_000L;
    assertEquals(30, days);
    for (String path :
        List.of("/api/v1/kpis", "/api/v1/alerts", "/api/v1/zones", "/api/v1/rules")) {
      Response r = node.http("GET", path, null, token);
      assertEquals(200, r.status(), path + ": " + r.body());
    }
    assertEquals(200, streamStatus(token));
    Response listed = node.http("GET", "/api/v1/display-tokens", null);
    assertEquals(200, listed.status());
    JsonObject item =
        listed.json().getJsonArray("items").stream()
            .map(JsonObject.class::cast)
            .filter(i -> i.getString("id").equals(created.getString("id")))
            .findFirst()
            .orElseThrow();
    assertEquals("IOC wall 1", item.getString("name"));
    assertEquals("service", item.getString("createdBy"));
    assertFalse(listed.body().contains(token), "the token is shown once only");

    assertEquals(
        204,
        node.http("DELETE", "/api/v1/display-tokens/" + created.getString("id"), null).status());
    Response revoked = node.http("GET", "/api/v1/kpis", null, token);
    assertEquals(401, revoked.status(), revoked.body());
    assertEquals("token_revoked", revoked.json().getString("error"));
    assertEquals(
        404,
        node.http("DELETE", "/api/v1/display-tokens/" + created.getString("id"), null).status());
  }

  @Test
  void deletingADisplayTokenEndsItsOpenStream() throws Exception {
    JsonObject created = create("IOC wall 3", new JsonArray());
    HttpResponse<InputStream> stream =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(node.apiUrl() + "/api/v1/stream"))
                    .header("Authorization", "Bearer " + created.getString("token"))
                    .build(),
                HttpResponse.BodyHandlers.ofInputStream());
    assertEquals(200, stream.statusCode());
    CompletableFuture<Void> ended =
        CompletableFuture.runAsync(
            () -> {
              try (InputStream in = stream.body()) {
                in.transferTo(OutputStream.nullOutputStream());
              } catch (java.io.IOException e) {
                // a reset connection ends it too
              }
            });
    assertEquals(
        204,
        node.http("DELETE", "/api/v1/display-tokens/" + created.getString("id"), null).status());
    // Bounded wait: the stream re-checks its token every 2 s.
    ended.get(20, TimeUnit.SECONDS);
  }

  @Test
  void aDisplayTokenIsRefusedOnEveryWriteAndOnAdminReads() {
    String token = create("IOC wall 2", new JsonArray()).getString("token");
    List<String> allowedWrites = new ArrayList<>();
    int writes = 0;
    for (Route route : node.node().router().getRoutes()) {
      String path = route.getName() != null ? route.getName() : route.getPath();
      if (path == null
          || !path.startsWith("/api/")
          || route.getMetadata(ApiGuard.METADATA) != null) {
        continue;
      }
      for (HttpMethod method : route.methods()) {
        if (method == HttpMethod.GET || path.equals("/api/v1/login")) {
          continue;
        }
        writes++;
        String concrete = path.replaceAll(":[a-zA-Z]+", "x");
        Response r = node.http(method.name(), concrete, new JsonObject(), token);
        if (r.status() != 403) {
          allowedWrites.add(method + " " + concrete + " -> " + r.status());
        }
      }
    }
    assertTrue(writes > 10, "walked " + writes + " writes");
    assertEquals(List.of(), allowedWrites);
    for (String path :
        List.of("/api/v1/users", "/api/v1/devices", "/api/v1/audit", "/api/v1/display-tokens")) {
      assertEquals(403, node.http("GET", path, null, token).status(), path);
    }
  }

  @Test
  void aDisplayTokenForSomeZonesSeesOnlyThem() {
    String token = create("Hoi An wall", new JsonArray().add("hoi-an")).getString("token");
    assertEquals(200, node.http("GET", "/api/v1/kpis?zone=hoi-an", null, token).status());
    Response kpis = node.http("GET", "/api/v1/kpis?zone=tam-ky", null, token);
    assertEquals(403, kpis.status(), kpis.body());
  }

  @Test
  void badDisplayTokensNameTheFieldAtFault() {
    for (var c :
        List.of(
            List.of(new JsonObject().put("zones", new JsonArray()), "name"),
            List.of(
                new JsonObject().put("name", "x").put("zones", new JsonArray().add("atlantis")),
                "zones[0]"),
            List.of(new JsonObject().put("name", "x").put("days", 0), "days"),
            List.of(new JsonObject().put("name", "x").put("days", 100_000), "days"))) {
      Response r = node.http("POST", "/api/v1/display-tokens", (JsonObject) c.get(0));
      assertEquals(400, r.status(), r.body());
      assertEquals(c.get(1), r.json().getString("field"), r.body());
    }
  }

  /** The status of the live stream opened with {@code token} in the header (then closed). */
  private static int streamStatus(String token) throws Exception {
    HttpResponse<InputStream> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(node.apiUrl() + "/api/v1/stream"))
                    .header("Authorization", "Bearer " + token)
                    .build(),
                HttpResponse.BodyHandlers.ofInputStream());
    r.body().close();
    return r.statusCode();
  }
}
