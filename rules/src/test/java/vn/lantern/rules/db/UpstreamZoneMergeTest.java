package vn.lantern.rules.db;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import vn.lantern.rules.rule.Condition;
import vn.lantern.rules.rule.Rule;
import vn.lantern.rules.rule.RuleJson;
import vn.lantern.rules.rule.RuleStore;
import vn.lantern.testing.TestDatabases;

/**
 * A zone merge moves the upstream warnings raised in the merged zone to the survivor, though the
 * rule itself watches a gauge of another zone (H2 and PostgreSQL).
 */
class UpstreamZoneMergeTest {
  @TempDir Path dataDir;

  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void theWarningFollowsItsDownstreamZone(TestDatabases engine) {
    try (RulesDatabase db = RulesDatabase.open(engine.freshDatabase(), dataDir)) {
      RuleStore rules = new RuleStore(db);
      rules.save(
          RuleJson.parse(
                  new JsonObject(
                      """
                      {"name": "Upstream flood: Nông Sơn → Hội An",
                       "scope": {"zone": "da-nang", "type": "water_level"},
                       "metric": "level",
                       "condition": {"type": "upstream", "for": "5m",
                        "station": {"name": "Nông Sơn", "river": "Thu Bồn"},
                        "levels": [{"name": "BĐ1", "value": 11, "severity": "info"}],
                        "rise": {"type": "rate", "op": ">=", "value": 0.2, "clear": 0.05},
                        "downstream": {"name": "Hội An", "zone": "hoi-an", "leadHours": 8}}}
                      """),
                  zone -> true)
              .withIdentity("up-1", 1, 1));

      db.store()
          .inTransaction(
              c -> {
                RuleStore.moveZone(c, "hoi-an", "hoi-an-moi");
                return null;
              });

      Rule moved = rules.all().get(0);
      assertEquals("da-nang", moved.scope().zone(), "the rule stays with its gauge");
      assertEquals(
          "hoi-an-moi", ((Condition.Upstream) moved.condition()).downstream().zone(), "warnings");
      assertEquals(2, moved.version(), "every node's refresh takes it");
    }
  }
}
