package vn.lantern.rules.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import vn.lantern.auth.OidcSettings;
import vn.lantern.auth.PasswordHasher;
import vn.lantern.rules.TestNode;
import vn.lantern.testing.InfluxDbExtension;
import vn.lantern.testing.TestInflux;

/** Users from a users file with hashed passwords sign in with their role and zones. */
@ExtendWith(InfluxDbExtension.class)
class UsersFileTest {

  @Test
  void aZoneManagerFromTheUsersFileSignsIn(@TempDir Path dataDir, TestInflux influx)
      throws Exception {
    Path file = dataDir.resolve("users.yaml");
    Files.writeString(
        file,
        "users:\n"
            + "  - username: tamky-manager\n"
            + "    passwordHash: '"
            + new PasswordHasher(1000).hash("tam-ky-river-2026")
            + "'\n"
            + "    role: zone-manager\n"
            + "    zones: [tam-ky]\n");
    try (TestNode node =
        TestNode.start(dataDir, influx, 200, 2, false, 0, OidcSettings.defaults(), file)) {
      String token = node.login("tamky-manager", "tam-ky-river-2026");
      assertEquals(
          403,
          node.call(HttpMethod.POST, "/api/v1/rules", token, RulesApiTest.hoiAnRule())
              .statusCode());
      JsonObject tamKy = RulesApiTest.hoiAnRule();
      tamKy.getJsonObject("scope").put("zone", "tam-ky");
      assertEquals(201, node.call(HttpMethod.POST, "/api/v1/rules", token, tamKy).statusCode());
      assertEquals(
          401,
          node.call(
                  HttpMethod.POST,
                  "/api/v1/login",
                  null,
                  new JsonObject().put("username", "tamky-manager").put("password", "wrong"))
              .statusCode());
    }
  }
}
