package vn.lantern.rules.rule;

import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rules: validated, stored, held in memory for lookups, and handed to the engine the moment
 * they are saved.
 */
public final class RuleService {
  private static final Logger LOG = LoggerFactory.getLogger(RuleService.class);

  /** Told about every saved or deleted rule. */
  public interface Listener {
    Future<Void> saved(Rule rule);

    Future<Void> deleted(String id);

    /**
     * A rule saved through another node sharing the store (a zone merge moves rules too), found by
     * {@link #refresh}; as {@link #saved} unless overridden.
     *
     * @param held the version held here before, or null for a new rule
     */
    default Future<Void> changedElsewhere(Rule held, Rule stored) {
      return saved(stored);
    }
  }

  private final RuleStore store;
  private final WorkerExecutor worker;
  private final Predicate<String> zoneExists;
  private final Duration maxWindow;
  private final Map<String, Rule> rules = new ConcurrentHashMap<>();
  private Listener listener;

  /**
   * @param maxWindow the longest window a rule saved or tried through the service may set
   */
  public RuleService(
      RuleStore store, WorkerExecutor worker, Predicate<String> zoneExists, Duration maxWindow) {
    this.store = store;
    this.worker = worker;
    this.zoneExists = zoneExists;
    this.maxWindow = maxWindow;
  }

  /** Loads the stored rules. Blocking: call from a worker thread. */
  public void load() {
    store.all().forEach(r -> rules.put(r.id(), r));
  }

  public void listen(Listener listener) {
    this.listener = listener;
  }

  public Optional<Rule> get(String id) {
    return Optional.ofNullable(rules.get(id));
  }

  /** Every rule, ordered by zone and name. */
  public List<Rule> all() {
    List<Rule> list = new ArrayList<>(rules.values());
    list.sort(Comparator.comparing((Rule r) -> r.scope().zone()).thenComparing(Rule::name));
    return list;
  }

  /** Validates a rule without storing it. */
  public Rule validate(JsonObject json) {
    return RuleJson.parse(json, zoneExists, maxWindow);
  }

  /** Stores a new rule. */
  public Future<Rule> create(Rule parsed) {
    Rule rule = parsed.withIdentity(UUID.randomUUID().toString(), 1, System.currentTimeMillis());
    return save(rule);
  }

  /**
   * Replaces a rule. Webhook secrets left out of the new version are kept from the old one for the
   * same URL, since the API never returns them.
   */
  public Future<Rule> replace(Rule previous, Rule parsed) {
    List<Channel> channels = new ArrayList<>();
    for (Channel c : parsed.channels()) {
      Channel kept = c;
      if (c.type().equals("webhook") && c.secret() == null) {
        for (Channel old : previous.channels()) {
          if (old.type().equals("webhook") && old.target().equals(c.target())) {
            kept = new Channel(c.type(), c.target(), old.secret());
          }
        }
      }
      channels.add(kept);
    }
    Rule rule =
        new Rule(
            previous.id(),
            previous.version() + 1,
            parsed.name(),
            parsed.description(),
            parsed.scope(),
            parsed.metric(),
            parsed.condition(),
            parsed.severity(),
            parsed.escalation(),
            parsed.renotify(),
            channels,
            parsed.enabled(),
            System.currentTimeMillis(),
            // A rule from a pack stays from that pack when an edit leaves its source out.
            parsed.source() != null ? parsed.source() : previous.source());
    return save(rule);
  }

  private Future<Rule> save(Rule rule) {
    return worker
        .executeBlocking(
            () -> {
              store.save(rule);
              return rule;
            },
            true)
        .compose(
            saved -> {
              rules.put(saved.id(), saved);
              LOG.info(
                  "event=rule_saved rule={} zone={} version={} enabled={}",
                  saved.id(),
                  saved.scope().zone(),
                  saved.version(),
                  saved.enabled());
              return listener == null
                  ? Future.succeededFuture(saved)
                  : listener.saved(saved).map(saved);
            });
  }

  /**
   * Applies what other nodes sharing the store changed: a rule stored with another version than the
   * one held here reaches the engine as saved, a rule gone from the store as deleted.
   */
  public Future<Void> refresh() {
    return worker
        .executeBlocking(store::all, true)
        .compose(
            stored -> {
              Map<String, Rule> current = new HashMap<>();
              stored.forEach(r -> current.put(r.id(), r));
              List<Future<?>> applied = new ArrayList<>();
              for (Rule rule : stored) {
                Rule held = rules.get(rule.id());
                if (held == null || held.version() != rule.version()) {
                  rules.put(rule.id(), rule);
                  LOG.info(
                      "event=rule_changed_elsewhere rule={} version={}", rule.id(), rule.version());
                  if (listener != null) {
                    applied.add(listener.changedElsewhere(held, rule));
                  }
                }
              }
              for (String id : List.copyOf(rules.keySet())) {
                if (!current.containsKey(id)) {
                  LOG.info("event=rule_deleted_elsewhere rule={}", id);
                  Future<Void> stopped =
                      listener == null ? Future.succeededFuture() : listener.deleted(id);
                  applied.add(stopped.onComplete(v -> rules.remove(id)));
                }
              }
              return Future.join(applied).mapEmpty();
            });
  }

  /** Deletes a rule; false when it did not exist. */
  public Future<Boolean> delete(String id) {
    return worker
        .executeBlocking(() -> store.delete(id), true)
        .compose(
            deleted -> {
              LOG.info("event=rule_deleted rule={}", id);
              // The engine resolves the rule's alerts first, so their notifications still go out.
              Future<Void> stopped =
                  listener == null ? Future.succeededFuture() : listener.deleted(id);
              return stopped.map(
                  v -> {
                    rules.remove(id);
                    return deleted;
                  });
            });
  }
}
