package vn.lantern.deploy.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import vn.lantern.deploy.testing.TestNode;
import vn.lantern.deploy.testing.TestNode.Response;
import vn.lantern.testing.InfluxDbExtension;
import vn.lantern.testing.TestInflux;

/**
 * Users managed by admins over real HTTP, and their tokens revoked at once: after a disable, a
 * delete, a role or zone change, a password reset or change, and a logout, the old token gets 401
 * {@code token_revoked} on its next request.
 */
@ExtendWith(InfluxDbExtension.class)
class UserRevocationTest {
  static final String PASSWORD = "a-long-password-1";
  static final AtomicInteger NAMES = new AtomicInteger();

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

  /** Creates a user with a fresh name and returns the name. */
  static String user(String role, String... zones) {
    String name = "user-" + NAMES.incrementAndGet();
    Response r =
        node.http(
            "POST",
            "/api/v1/users",
            new JsonObject()
                .put("username", name)
                .put("password", PASSWORD)
                .put("role", role)
                .put("zones", new JsonArray(List.of(zones))));
    assertEquals(201, r.status(), r.body());
    return name;
  }

  static Response login(String username, String password) {
    return node.http(
        "POST",
        "/api/v1/login",
        new JsonObject().put("username", username).put("password", password),
        null);
  }

  static String token(String username, String password) {
    Response r = login(username, password);
    assertEquals(200, r.status(), r.body());
    return r.json().getString("token");
  }

  static void assertRevoked(Response r) {
    assertEquals(401, r.status(), r.body());
    assertEquals("token_revoked", r.json().getString("error"), r.body());
  }

  static Response put(String username, JsonObject body) {
    return node.http("PUT", "/api/v1/users/" + username, body);
  }

  @Test
  void usersAreListedReadChangedAndDeletedWithoutTheirHash() {
    String name = user("operator");
    Response one = node.http("GET", "/api/v1/users/" + name, null);
    assertEquals(200, one.status(), one.body());
    assertEquals(
        new JsonObject()
            .put("username", name)
            .put("role", "operator")
            .put("zones", new JsonArray())
            .put("disabled", false),
        one.json());
    Response changed =
        put(
            name,
            new JsonObject()
                .put("role", "zone-manager")
                .put("zones", new JsonArray().add("hoi-an")));
    assertEquals(200, changed.status(), changed.body());
    assertEquals("zone-manager", changed.json().getString("role"));
    assertEquals(new JsonArray().add("hoi-an"), changed.json().getJsonArray("zones"));
    assertFalse(changed.body().contains("pbkdf2"), changed.body());
    Response list = node.http("GET", "/api/v1/users", null);
    JsonObject listed =
        list.json().getJsonArray("items").stream()
            .map(JsonObject.class::cast)
            .filter(u -> u.getString("username").equals(name))
            .findFirst()
            .orElseThrow();
    assertEquals(false, listed.getBoolean("disabled"));
    assertFalse(list.body().contains("pbkdf2"), list.body());
    assertEquals(204, node.http("DELETE", "/api/v1/users/" + name, null).status());
    assertEquals(404, node.http("GET", "/api/v1/users/" + name, null).status());
    assertEquals(404, node.http("DELETE", "/api/v1/users/" + name, null).status());
    assertEquals(404, put(name, new JsonObject().put("disabled", true)).status());
  }

  @Test
  void badChangesNameTheFieldAtFault() {
    String name = user("operator");
    for (var c :
        List.of(
            List.of(new JsonObject().put("role", "boss"), "role"),
            List.of(new JsonObject().put("role", "viewer"), "role"),
            List.of(new JsonObject().put("disabled", "yes"), "disabled"),
            List.of(new JsonObject().put("password", "short"), "password"),
            List.of(new JsonObject().put("zones", new JsonArray().add("hoi-an")), "zones"),
            List.of(new JsonObject().put("role", "zone-manager"), "zones"),
            List.of(new JsonObject().put("passwordHash", "x"), "passwordHash"))) {
      Response r = put(name, (JsonObject) c.get(0));
      assertEquals(400, r.status(), r.body());
      assertEquals(c.get(1), r.json().getString("field"), r.body());
      assertNotNull(r.json().getString("message"));
    }
  }

  @Test
  void aDisabledUsersTokenIsRevokedAndTheyCannotSignIn() {
    String name = user("operator");
    String token = token(name, PASSWORD);
    assertEquals(200, node.http("GET", "/api/v1/rules", null, token).status());
    Response disabled = put(name, new JsonObject().put("disabled", true));
    assertEquals(200, disabled.status(), disabled.body());
    assertTrue(disabled.json().getBoolean("disabled"));
    assertRevoked(node.http("GET", "/api/v1/rules", null, token));
    // Same answer as a wrong password: nothing tells a guesser the account exists.
    Response refused = login(name, PASSWORD);
    Response wrong = login(name, "not-the-password-1");
    assertEquals(401, refused.status());
    assertEquals(wrong.status(), refused.status());
    assertEquals(wrong.body(), refused.body());
    assertEquals(200, put(name, new JsonObject().put("disabled", false)).status());
    assertRevoked(node.http("GET", "/api/v1/rules", null, token));
    assertEquals(200, node.http("GET", "/api/v1/rules", null, token(name, PASSWORD)).status());
  }

  @Test
  void aDeletedUsersTokenIsRevoked() {
    String name = user("operator");
    String token = token(name, PASSWORD);
    assertEquals(204, node.http("DELETE", "/api/v1/users/" + name, null).status());
    assertRevoked(node.http("GET", "/api/v1/rules", null, token));
    assertEquals(401, login(name, PASSWORD).status());
  }

  @Test
  void roleZoneAndPasswordChangesRevokeTheUsersTokens() {
    String name = user("zone-manager", "hoi-an");
    List<JsonObject> changes =
        List.of(
            new JsonObject().put("zones", new JsonArray().add("tam-ky")),
            new JsonObject().put("role", "operator"),
            new JsonObject().put("password", "a-reset-password-2"));
    String password = PASSWORD;
    for (JsonObject change : changes) {
      String token = token(name, password);
      assertEquals(200, node.http("GET", "/api/v1/alerts", null, token).status());
      assertEquals(200, put(name, change).status(), change.encode());
      assertRevoked(node.http("GET", "/api/v1/alerts", null, token));
      if (change.containsKey("password")) {
        password = change.getString("password");
        assertEquals(401, login(name, PASSWORD).status());
      }
    }
    assertEquals(200, node.http("GET", "/api/v1/alerts", null, token(name, password)).status());
  }

  @Test
  void aUserChangesTheirOwnPasswordGivingTheCurrentOne() {
    String name = user("operator");
    String token = token(name, PASSWORD);
    String path = "/api/v1/users/me/password";
    Response wrong =
        node.http(
            "POST",
            path,
            new JsonObject()
                .put("currentPassword", "not-it-at-all")
                .put("newPassword", "n".repeat(14)),
            token);
    assertEquals(403, wrong.status(), wrong.body());
    assertEquals("wrong_password", wrong.json().getString("error"));
    Response shortOne =
        node.http(
            "POST",
            path,
            new JsonObject().put("currentPassword", PASSWORD).put("newPassword", "short"),
            token);
    assertEquals(400, shortOne.status(), shortOne.body());
    assertEquals("newPassword", shortOne.json().getString("field"));
    Response ok =
        node.http(
            "POST",
            path,
            new JsonObject()
                .put("currentPassword", PASSWORD)
                .put("newPassword", "my-new-password-3"),
            token);
    assertEquals(204, ok.status(), ok.body());
    assertRevoked(node.http("GET", "/api/v1/rules", null, token));
    assertEquals(401, login(name, PASSWORD).status());
    assertEquals(200, login(name, "my-new-password-3").status());
    Response service =
        node.http(
            "POST",
            path,
            new JsonObject().put("currentPassword", PASSWORD).put("newPassword", "n".repeat(14)));
    assertEquals(400, service.status(), service.body());
    assertEquals("not_a_local_user", service.json().getString("error"));
  }

  @Test
  void wrongCurrentPasswordsAreThrottledLikeLogins() {
    String name = user("operator");
    String token = token(name, PASSWORD);
    int last = 0;
    for (int i = 0; i < 6; i++) {
      last =
          node.http(
                  "POST",
                  "/api/v1/users/me/password",
                  new JsonObject()
                      .put("currentPassword", "wrong-guess-" + i)
                      .put("newPassword", "n".repeat(14)),
                  token)
              .status();
    }
    assertEquals(429, last);
  }

  @Test
  void theLastEnabledAdminCannotBeDeletedDisabledOrDemoted() {
    for (Response r :
        List.of(
            node.http("DELETE", "/api/v1/users/admin", null),
            put("admin", new JsonObject().put("disabled", true)),
            put("admin", new JsonObject().put("role", "operator")))) {
      assertEquals(409, r.status(), r.body());
      assertEquals("last_admin", r.json().getString("error"), r.body());
    }
    assertEquals(200, login("admin", TestNode.ADMIN_PASSWORD).status());
    String second = user("admin");
    assertEquals(200, put("admin", new JsonObject().put("disabled", true)).status());
    Response last = node.http("DELETE", "/api/v1/users/" + second, null);
    assertEquals(409, last.status(), last.body());
    assertEquals(200, put("admin", new JsonObject().put("disabled", false)).status());
    assertEquals(204, node.http("DELETE", "/api/v1/users/" + second, null).status());
  }

  @Test
  void logoutRevokesTheTokenAndClearsTheStreamCookie() throws Exception {
    String name = user("operator");
    String token = token(name, PASSWORD);
    String other = token(name, PASSWORD);
    HttpResponse<String> logout =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(node.apiUrl() + "/api/v1/logout"))
                    .header("Authorization", "Bearer " + token)
                    .POST(HttpRequest.BodyPublishers.noBody())
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertEquals(204, logout.statusCode(), logout.body());
    String cookie = logout.headers().firstValue("Set-Cookie").orElseThrow();
    assertTrue(cookie.startsWith("lantern_token=;"), cookie);
    assertTrue(cookie.contains("Max-Age=0"), cookie);
    assertTrue(cookie.contains("Path=/api/v1"), cookie);
    String attributes = cookie.toLowerCase(java.util.Locale.ROOT);
    assertTrue(attributes.contains("httponly"), cookie);
    assertTrue(attributes.contains("samesite=strict"), cookie);
    assertRevoked(node.http("GET", "/api/v1/rules", null, token));
    assertRevoked(node.http("POST", "/api/v1/logout", null, token));
    // A browser that kept the old cookie is told why too.
    HttpResponse<String> stream =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(node.apiUrl() + "/api/v1/stream"))
                    .header("Cookie", "lantern_token=" + token)
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertEquals(401, stream.statusCode(), stream.body());
    assertEquals("token_revoked", new JsonObject(stream.body()).getString("error"));
    // Only that token: the user's other session goes on.
    assertEquals(200, node.http("GET", "/api/v1/rules", null, other).status());
    Response service = node.http("POST", "/api/v1/logout", null);
    assertEquals(400, service.status(), service.body());
  }
}
