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
import vn.lantern.rules.alert.AlertFilter;
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

  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void alertsArePagedNewestFirstEachOnce(TestDatabases engine) {
    try (RulesDatabase db = RulesDatabase.open(engine.freshDatabase(), dataDir)) {
      AlertStore alerts = new AlertStore(db);
      // Seven alerts, three of them at the same instant: pages must not split them wrongly.
      long[] since = {5, 9, 9, 9, 3, 7, 1};
      for (int i = 0; i < since.length; i++) {
        Alert a = alert(AlertState.FIRING, null);
        alerts.record(
            new AlertEvent(
                new Alert(
                    "a-" + i,
                    a.ruleId(),
                    a.ruleName(),
                    a.device(),
                    a.zone(),
                    a.site(),
                    a.metric(),
                    a.state(),
                    a.severity(),
                    since[i],
                    a.value(),
                    null,
                    0,
                    null,
                    0,
                    null,
                    since[i],
                    false,
                    false,
                    0,
                    false),
                "fired",
                "system",
                null,
                since[i],
                true));
      }
      AlertFilter page =
          new AlertFilter(null, List.of("hoi-an"), null, null, null, null, null, null, null, 3);
      List<String> seen = new java.util.ArrayList<>();
      Alert after = null;
      List<Alert> list;
      do {
        list = alerts.list(page, after);
        list.forEach(a -> seen.add(a.id()));
        after = list.isEmpty() ? null : list.get(list.size() - 1);
      } while (list.size() == 3);
      assertEquals(List.of("a-1", "a-2", "a-3", "a-5", "a-0", "a-4", "a-6"), seen);
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
