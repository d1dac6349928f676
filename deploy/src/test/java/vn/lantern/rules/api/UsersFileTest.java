package vn.lantern.rules.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import vn.lantern.auth.PasswordHasher;
import vn.lantern.deploy.testing.TestNode;
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
        TestNode.builder(dataDir, influx)
            .set("rules.seedRulePacks", false)
            .set("rules.usersFile", file.toString())
            .start()) {
      String token = node.login("tamky-manager", "tam-ky-river-2026");
      assertEquals(
          403, node.http("POST", "/api/v1/rules", RulesApiTest.hoiAnRule(), token).status());
      JsonObject tamKy = RulesApiTest.hoiAnRule();
      tamKy.getJsonObject("scope").put("zone", "tam-ky");
      assertEquals(201, node.http("POST", "/api/v1/rules", tamKy, token).status());
      assertEquals(
          401,
          node.http(
                  "POST",
                  "/api/v1/login",
                  new JsonObject().put("username", "tamky-manager").put("password", "wrong"),
                  null)
              .status());
    }
  }
}
