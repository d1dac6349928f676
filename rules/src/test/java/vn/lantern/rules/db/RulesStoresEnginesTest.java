package vn.lantern.rules.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import vn.lantern.auth.Role;
import vn.lantern.auth.User;
import vn.lantern.auth.UserStore;
import vn.lantern.common.store.DatabaseSettings;
import vn.lantern.rules.alert.Alert;
import vn.lantern.rules.alert.AlertEvent;
import vn.lantern.rules.alert.AlertState;
import vn.lantern.rules.alert.AlertStore;
import vn.lantern.rules.rule.Rule;
import vn.lantern.rules.rule.RuleJson;
import vn.lantern.rules.rule.RuleStore;
import vn.lantern.rules.rule.Severity;
import vn.lantern.testing.TestDatabases;

/**
 * Rules, alerts and users are written, replaced and read back the same on the embedded H2 file and
 * on a real PostgreSQL server (their upserts used H2-only MERGE before the one store).
 */
class RulesStoresEnginesTest {
  @TempDir Path dataDir;

  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void rulesAlertsAndUsersRoundTrip(TestDatabases engine) {
    DatabaseSettings settings = engine.freshDatabase();
    try (RulesDatabase db = RulesDatabase.open(settings, dataDir)) {
      RuleStore rules = new RuleStore(db);
      rules.save(rule(1));
      rules.save(rule(2));
      assertEquals(List.of(2), rules.all().stream().map(Rule::version).toList());

      AlertStore alerts = new AlertStore(db);
      alerts.record(
          new AlertEvent(alert(AlertState.FIRING, null), "fired", "system", null, 1, true));
      alerts.record(
          new AlertEvent(
              alert(AlertState.ACKNOWLEDGED, "an"), "acknowledged", "an", "ok", 2, false));
      Alert stored = alerts.find("a-1").orElseThrow();
      assertEquals(AlertState.ACKNOWLEDGED, stored.state());
      assertEquals("an", stored.ackedBy());
      assertEquals(2, alerts.transitions("a-1").size());

      UserStore users = new UserStore(db.store());
      assertTrue(users.save(new User("an", "pbkdf2$1$a$b", Role.ZONE_MANAGER, Set.of("hoi-an"))));
      assertFalse(users.save(new User("an", "pbkdf2$1$a$c", Role.ZONE_MANAGER, Set.of("tam-ky"))));
    }
    try (RulesDatabase db = RulesDatabase.open(settings, dataDir)) {
      assertEquals(1, new RuleStore(db).all().size());
      assertEquals(1, new AlertStore(db).open().size());
      User an = new UserStore(db.store()).find("an").orElseThrow();
      assertEquals("pbkdf2$1$a$c", an.passwordHash());
      assertEquals(Set.of("tam-ky"), an.zones());
    }
  }

  private static Rule rule(int version) {
    return RuleJson.parse(
            new JsonObject(
                """
                {"name": "river high",
                 "scope": {"zone": "hoi-an", "type": "water_level"},
                 "metric": "level",
                 "condition": {"type": "threshold", "op": ">", "value": 2.5},
                 "severity": "critical"}
                """),
            zone -> true)
        .withIdentity("river-high", version, version);
  }

  private static Alert alert(AlertState state, String ackedBy) {
    return new Alert(
        "a-1",
        "river-high",
        "river high",
        "hoian-wl-01",
        "hoi-an",
        "Cầu An Hội",
        "level",
        state,
        Severity.CRITICAL,
        1,
        2.7,
        ackedBy,
        ackedBy == null ? 0 : 2,
        ackedBy == null ? null : "ok",
        0,
        null,
        2,
        false,
        false,
        0,
        false);
  }
}
