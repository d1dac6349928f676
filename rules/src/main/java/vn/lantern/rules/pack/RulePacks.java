package vn.lantern.rules.pack;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
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
 * Seeds the rules of each regulation pack, as ordinary rules that zone managers then edit or delete
 * (each keeps its pack, version and citation in {@code source}). A pack that appears later (a new
 * bundled pack, or one added to the data directory) is seeded on the next start. A pack whose
 * version rose since it was seeded is re-seeded: its rules nobody edited since they were seeded
 * follow the new version (updated in place when the new version has a rule of the same name in the
 * same zone, removed when it has none, added when it is new); a rule an operator edited is left as
 * it is and reported as diverged, and the new version's rule of its name and zone is not added
 * beside it. Blocking: call from a worker thread.
 */
public final class RulePacks {
  private static final Logger LOG = LoggerFactory.getLogger(RulePacks.class);

  /** Marker of nodes seeded from the single pack file before packs became regulation data. */
  private static final String LEGACY_MARKER = "rule_pack.default";

  /** The packs that single file held: a node that has it already has their rules. */
  /** Prefix of the setting recording the version re-seeding last wrote a rule at. */
  private static final String RULE_MARKER = "rule_pack.rule.";

  private static final Set<String> LEGACY_PACKS =
      Set.of("flood-alarm-levels", "qcvn-40-2011-wastewater", "vn-aqi", "device-offline");

  private RulePacks() {}

  /**
   * What seeding changed.
   *
   * @param added rules added
   * @param removedRuleIds rules removed because a new pack version no longer has them (their open
   *     alerts are to be resolved once the engine runs)
   */
  public record Outcome(int added, List<String> removedRuleIds) {}

  /** Seeds every pack not seeded before and re-seeds every pack whose version rose. */
  public static Outcome seed(
      RulesDatabase db, RuleStore store, Predicate<String> zoneExists, Regulations regulations) {
    boolean legacy = marker(db, LEGACY_MARKER);
    int added = 0;
    List<String> removed = new ArrayList<>();
    for (RegulationPack pack : regulations.packs()) {
      String marker = "rule_pack." + pack.id();
      Integer seededVersion = seededVersion(db, marker);
      if (seededVersion != null) {
        if (seededVersion < pack.version()) {
          added += reseed(db, pack, seededVersion, store, zoneExists, removed);
          db.update(
              "UPDATE setting SET setting_value = ? WHERE name = ?",
              List.of(Integer.toString(pack.version()), marker));
        }
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
    return new Outcome(added, removed);
  }

  /** The pack version a marker records, or null when the pack was never seeded. */
  private static Integer seededVersion(RulesDatabase db, String marker) {
    List<String> values =
        db.query(
            "SELECT setting_value FROM setting WHERE name = ?",
            List.of(marker),
            rs -> rs.getString(1));
    if (values.isEmpty()) {
      return null;
    }
    try {
      return Integer.parseInt(values.get(0).trim());
    } catch (NumberFormatException e) {
      return 0; // an old marker without a version: any version re-seeds
    }
  }

  /**
   * The rule version a pack last wrote (seeding writes 1, re-seeding records what it wrote): a rule
   * at another version was edited since.
   */
  private static int writtenVersion(RulesDatabase db, String ruleId) {
    List<String> values =
        db.query(
            "SELECT setting_value FROM setting WHERE name = ?",
            List.of(RULE_MARKER + ruleId),
            rs -> rs.getString(1));
    return values.isEmpty() ? 1 : Integer.parseInt(values.get(0).trim());
  }

  private static int reseed(
      RulesDatabase db,
      RegulationPack pack,
      int from,
      RuleStore store,
      Predicate<String> zoneExists,
      List<String> removed) {
    Map<String, Rule> replaceable = new HashMap<>();
    Set<String> diverged = new HashSet<>();
    for (Rule rule : store.all()) {
      if (rule.source() == null
          || !rule.source().pack().equals(pack.id())
          || rule.source().version() >= pack.version()) {
        continue;
      }
      if (rule.version() == writtenVersion(db, rule.id())) {
        replaceable.put(key(rule), rule);
      } else {
        diverged.add(key(rule));
        LOG.warn(
            "event=rule_pack_diverged pack={} version={} rule={} rule_version={} name=\"{}\"",
            pack.id(),
            pack.version(),
            rule.id(),
            rule.version(),
            rule.name());
      }
    }
    int added = 0;
    int updated = 0;
    long now = System.currentTimeMillis();
    for (Rule rule : parse(pack, zoneExists)) {
      if (diverged.contains(key(rule))) {
        continue; // the operator's edit stands
      }
      Rule prior = replaceable.remove(key(rule));
      if (prior == null) {
        store.save(rule.withIdentity(UUID.randomUUID().toString(), 1, now));
        added++;
      } else {
        int version = prior.version() + 1;
        store.save(rule.withIdentity(prior.id(), version, now));
        db.update("DELETE FROM setting WHERE name = ?", List.of(RULE_MARKER + prior.id()));
        db.update(
            "INSERT INTO setting (name, setting_value) VALUES (?, ?)",
            List.of(RULE_MARKER + prior.id(), Integer.toString(version)));
        updated++;
      }
    }
    for (Rule obsolete : replaceable.values()) {
      store.delete(obsolete.id());
      db.update("DELETE FROM setting WHERE name = ?", List.of(RULE_MARKER + obsolete.id()));
      removed.add(obsolete.id());
    }
    LOG.info(
        "event=rule_pack_reseeded pack={} from_version={} version={} added={} updated={} removed={}"
            + " diverged={}",
        pack.id(),
        from,
        pack.version(),
        added,
        updated,
        replaceable.size(),
        diverged.size());
    return added;
  }

  /** A seeded rule's identity across pack versions: its name in its zone. */
  private static String key(Rule rule) {
    return rule.scope().zone() + '\u0000' + rule.name();
  }

  private static boolean marker(RulesDatabase db, String name) {
    return !db.query(
            "SELECT setting_value FROM setting WHERE name = ?",
            List.of(name),
            rs -> rs.getString(1))
        .isEmpty();
  }

  private static int seed(RegulationPack pack, RuleStore store, Predicate<String> zoneExists) {
    List<Rule> rules = parse(pack, zoneExists);
    long now = System.currentTimeMillis();
    for (Rule rule : rules) {
      store.save(rule.withIdentity(UUID.randomUUID().toString(), 1, now));
    }
    return rules.size();
  }

  /** The pack's rules: its stations' rules, then its templates; invalid ones are skipped. */
  private static List<Rule> parse(RegulationPack pack, Predicate<String> zoneExists) {
    List<JsonObject> rules = new ArrayList<>();
    for (FloodStation station : pack.stations()) {
      if (station.rulesZone() != null) {
        rules.addAll(StationRules.of(pack, station));
      }
    }
    rules.addAll(pack.rules());
    List<Rule> parsed = new ArrayList<>();
    for (int i = 0; i < rules.size(); i++) {
      try {
        parsed.add(RuleJson.parse(rules.get(i), zoneExists));
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
    return parsed;
  }
}
