package vn.lantern.rules.pack;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.lantern.rules.db.RulesDatabase;
import vn.lantern.rules.rule.InvalidRuleException;
import vn.lantern.rules.rule.Rule;
import vn.lantern.rules.rule.RuleJson;
import vn.lantern.rules.rule.RuleStore;

/**
 * Seeds the shipped rule packs (flood alarm levels, QCVN 40 columns A/B, PM2.5 hourly means, device
 * offline) once, as ordinary rules that zone managers then edit or delete; a pack is never
 * re-seeded over their changes. Blocking: call from a worker thread.
 */
public final class RulePacks {
  private static final Logger LOG = LoggerFactory.getLogger(RulePacks.class);
  private static final String DEFAULT_PACK = "/rule-packs/default.json";

  private RulePacks() {}

  /** Seeds the default pack unless it was seeded before; returns the number of rules added. */
  public static int seed(RulesDatabase db, RuleStore store, Predicate<String> zoneExists)
      throws IOException {
    String marker = "rule_pack.default";
    boolean seeded =
        !db.query(
                "SELECT setting_value FROM setting WHERE name = ?",
                List.of(marker),
                rs -> rs.getString(1))
            .isEmpty();
    if (seeded) {
      return 0;
    }
    JsonObject pack;
    try (InputStream in = RulePacks.class.getResourceAsStream(DEFAULT_PACK)) {
      pack = new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
    JsonArray rules = pack.getJsonArray("rules");
    int added = 0;
    long now = System.currentTimeMillis();
    for (int i = 0; i < rules.size(); i++) {
      try {
        Rule rule = RuleJson.parse(rules.getJsonObject(i), zoneExists);
        store.save(rule.withIdentity(UUID.randomUUID().toString(), 1, now));
        added++;
      } catch (InvalidRuleException e) {
        // A renamed or merged zone: the operator re-creates that rule for the new zone.
        LOG.info(
            "event=rule_pack_rule_skipped index={} field={} reason=\"{}\"",
            i,
            e.field(),
            e.getMessage());
      }
    }
    db.update(
        "INSERT INTO setting (name, setting_value) VALUES (?, ?)",
        List.of(marker, Integer.toString(pack.getInteger("version"))));
    LOG.info("event=rule_pack_seeded pack=default rules={}", added);
    return added;
  }
}
