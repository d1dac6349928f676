package vn.lantern.rules.pack;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.lantern.rules.db.RulesDatabase;
import vn.lantern.rules.regulation.FloodStation;
import vn.lantern.rules.regulation.RegulationPack;
import vn.lantern.rules.regulation.Regulations;
import vn.lantern.rules.rule.InvalidRuleException;
import vn.lantern.rules.rule.Rule;
import vn.lantern.rules.rule.RuleJson;
import vn.lantern.rules.rule.RuleStore;

/**
 * Seeds the rules of each regulation pack once, as ordinary rules that zone managers then edit or
 * delete (each keeps its pack, version and citation in {@code source}); a pack is never re-seeded
 * over their changes. A pack that appears later (a new bundled pack, or one added to the data
 * directory) is seeded on the next start. Blocking: call from a worker thread.
 */
public final class RulePacks {
  private static final Logger LOG = LoggerFactory.getLogger(RulePacks.class);

  /** Marker of nodes seeded from the single pack file before packs became regulation data. */
  private static final String LEGACY_MARKER = "rule_pack.default";

  /** The packs that single file held: a node that has it already has their rules. */
  private static final Set<String> LEGACY_PACKS =
      Set.of("flood-alarm-levels", "qcvn-40-2011-wastewater", "vn-aqi", "device-offline");

  private RulePacks() {}

  /** Seeds every pack not seeded before; returns the number of rules added. */
  public static int seed(
      RulesDatabase db, RuleStore store, Predicate<String> zoneExists, Regulations regulations) {
    boolean legacy = marker(db, LEGACY_MARKER);
    int added = 0;
    for (RegulationPack pack : regulations.packs()) {
      String marker = "rule_pack." + pack.id();
      if (marker(db, marker)) {
        continue;
      }
      int packAdded = 0;
      if (!(legacy && LEGACY_PACKS.contains(pack.id()))) {
        packAdded = seed(pack, store, zoneExists);
      }
      db.update(
          "INSERT INTO setting (name, setting_value) VALUES (?, ?)",
          List.of(marker, Integer.toString(pack.version())));
      LOG.info(
          "event=rule_pack_seeded pack={} version={} rules={}",
          pack.id(),
          pack.version(),
          packAdded);
      added += packAdded;
    }
    return added;
  }

  private static boolean marker(RulesDatabase db, String name) {
    return !db.query(
            "SELECT setting_value FROM setting WHERE name = ?",
            List.of(name),
            rs -> rs.getString(1))
        .isEmpty();
  }

  private static int seed(RegulationPack pack, RuleStore store, Predicate<String> zoneExists) {
    List<JsonObject> rules = new ArrayList<>();
    for (FloodStation station : pack.stations()) {
      if (station.zone() != null) {
        rules.addAll(StationRules.of(pack, station));
      }
    }
    rules.addAll(pack.rules());
    int added = 0;
    long now = System.currentTimeMillis();
    for (int i = 0; i < rules.size(); i++) {
      try {
        Rule rule = RuleJson.parse(rules.get(i), zoneExists);
        store.save(rule.withIdentity(UUID.randomUUID().toString(), 1, now));
        added++;
      } catch (InvalidRuleException e) {
        // A renamed or merged zone: the operator re-creates that rule for the new zone.
        LOG.info(
            "event=rule_pack_rule_skipped pack={} index={} field={} reason=\"{}\"",
            pack.id(),
            i,
            e.field(),
            e.getMessage());
      }
    }
    return added;
  }
}
