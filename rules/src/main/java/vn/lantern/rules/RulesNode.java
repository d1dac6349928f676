package vn.lantern.rules;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.lantern.auth.ApiRoutes;
import vn.lantern.auth.AuthApi;
import vn.lantern.auth.AuthService;
import vn.lantern.auth.Authenticator;
import vn.lantern.auth.OidcIssuer;
import vn.lantern.auth.OidcSettings;
import vn.lantern.auth.UserStore;
import vn.lantern.auth.UserZones;
import vn.lantern.auth.UsersApi;
import vn.lantern.auth.UsersFile;
import vn.lantern.auth.audit.AuditApi;
import vn.lantern.auth.audit.AuditLog;
import vn.lantern.auth.display.DisplayTokensApi;
import vn.lantern.common.bus.TelemetryBus;
import vn.lantern.common.bus.ZoneEvent;
import vn.lantern.common.influx.InfluxClients;
import vn.lantern.common.influx.PointBatcher;
import vn.lantern.common.store.ZoneReferences;
import vn.lantern.rules.alert.AlertChanges;
import vn.lantern.rules.alert.AlertEvent;
import vn.lantern.rules.alert.AlertEventWriter;
import vn.lantern.rules.alert.AlertFeed;
import vn.lantern.rules.alert.AlertService;
import vn.lantern.rules.alert.AlertStore;
import vn.lantern.rules.api.AlertsApi;
import vn.lantern.rules.api.RegulationsApi;
import vn.lantern.rules.api.RulesApi;
import vn.lantern.rules.db.RulesDatabase;
import vn.lantern.rules.eval.DryRuns;
import vn.lantern.rules.eval.HistoryReader;
import vn.lantern.rules.eval.RuleEngine;
import vn.lantern.rules.notify.DeadLetterStore;
import vn.lantern.rules.notify.Notifier;
import vn.lantern.rules.pack.RulePacks;
import vn.lantern.rules.regulation.Regulations;
import vn.lantern.rules.rule.Rule;
import vn.lantern.rules.rule.RuleService;
import vn.lantern.rules.rule.RuleStore;

/**
 * The rules engine assembled: its database, rules, alerts, notifications, the evaluation engine on
 * the telemetry bus, and the API ({@code /api/v1/login}, {@code /logout}, {@code /users}, {@code
 * /display-tokens}, {@code /audit}, {@code /rules}, {@code /alerts}, {@code /notifications}), whose
 * users and tokens also sign callers in for the rest of the node's API.
 */
public final class RulesNode implements AlertFeed {
  /** Alert events held while InfluxDB is unreachable. */
  private static final int ALERT_EVENTS_BUFFERED = 100_000;

  /** How often audit entries older than {@link RulesConfig#auditRetentionDays} are deleted. */
  private static final Duration AUDIT_PRUNE_PERIOD = Duration.ofHours(1);

  private static final Logger LOG = LoggerFactory.getLogger(RulesNode.class);

  /**
   * The kind of the bus events that tell every rules node a zone was merged through another node
   * (body {@code {"from", "into"}}): its open alerts moved in the shared store, and each rules node
   * makes its memory follow.
   */
  public static final String ZONE_MERGED_EVENT = "zone-merged";

  private final RulesDatabase db;
  private final InfluxClients influx;
  private final PointBatcher alertEvents;
  private final RuleEngine engine;
  private final DryRuns dryRuns;
  private final Notifier notifier;
  private final List<WorkerExecutor> workers;
  private final List<Consumer<AlertEvent>> alertListeners;
  private final AlertService alerts;
  private final AlertStore alertStore;
  private final WorkerExecutor storeWorker;
  private final AuthService auth;
  private final RuleService rules;
  private final Regulations regulations;
  private final AuditLog audit;
  private final Directory directory;

  private RulesNode(
      RulesDatabase db,
      InfluxClients influx,
      PointBatcher alertEvents,
      RuleEngine engine,
      DryRuns dryRuns,
      Notifier notifier,
      List<WorkerExecutor> workers,
      List<Consumer<AlertEvent>> alertListeners,
      AlertService alerts,
      AlertStore alertStore,
      WorkerExecutor storeWorker,
      AuthService auth,
      RuleService rules,
      Regulations regulations,
      AuditLog audit,
      Directory directory) {
    this.directory = directory;
    this.rules = rules;
    this.db = db;
    this.influx = influx;
    this.alertEvents = alertEvents;
    this.engine = engine;
    this.dryRuns = dryRuns;
    this.notifier = notifier;
    this.workers = workers;
    this.alertListeners = alertListeners;
    this.alerts = alerts;
    this.alertStore = alertStore;
    this.storeWorker = storeWorker;
    this.auth = auth;
    this.regulations = regulations;
    this.audit = audit;
  }

  /**
   * Starts the engine on {@code bus} and mounts the API on {@code router}, each route with its
   * declared access; the node assembly's {@link vn.lantern.auth.ApiGuard} authenticates callers
   * with {@link #authenticator()}.
   */
  public static Future<RulesNode> start(
      Vertx vertx,
      RulesConfig config,
      TelemetryBus bus,
      Directory directory,
      Router router,
      MeterRegistry metrics) {
    Path dataDir = Path.of(config.dataDir());
    // One thread for the relational store keeps transitions in order; reads through it see them.
    WorkerExecutor storeWorker = vertx.createSharedWorkerExecutor("lantern-rules-store", 1);
    WorkerExecutor historyWorker = vertx.createSharedWorkerExecutor("lantern-rules-history", 2);
    // Users, token checks and logouts: apart from the alert transitions' one thread, so a token
    // check never waits behind them.
    WorkerExecutor authWorker = vertx.createSharedWorkerExecutor("lantern-auth-store", 2);
    InfluxClients influx = InfluxClients.acquire(config.influx());
    PointBatcher alertEvents =
        new PointBatcher(
            influx.client(), config.influx(), "alert_event", ALERT_EVENTS_BUFFERED, metrics);
    HistoryReader history =
        new HistoryReader(influx.client(), config.influx().database(), config.historyMaxPoints());
    AlertEventWriter eventWriter = new AlertEventWriter(alertEvents);
    List<Consumer<AlertEvent>> alertListeners = new CopyOnWriteArrayList<>();
    return storeWorker
        .executeBlocking(
            () -> {
              Files.createDirectories(dataDir);
              RulesDatabase db = RulesDatabase.open(config.db(), dataDir);
              RuleStore ruleStore = new RuleStore(db);
              Regulations regulations = Regulations.load(dataDir);
              List<String> removedRules =
                  config.seedRulePacks()
                      ? RulePacks.seed(db, ruleStore, directory::zoneExists, regulations)
                          .removedRuleIds()
                      : List.of();
              if (!config.usersFile().isEmpty()) {
                UsersFile.apply(
                    Path.of(config.usersFile()), new UserStore(db.store()), directory::zoneExists);
              }
              AuditLog audit = new AuditLog(vertx, db.store());
              AuthService auth =
                  AuthService.create(
                      vertx,
                      db.store(),
                      audit,
                      dataDir,
                      config.jwtSecret(),
                      config.adminPassword(),
                      config.pbkdf2Iterations(),
                      config.tokenTtlSeconds(),
                      authWorker,
                      config.serviceToken());
              RuleService rules =
                  new RuleService(
                      ruleStore, storeWorker, directory::zoneExists, config.windows().maxLength());
              rules.load();
              AlertStore alertStore = new AlertStore(db);
              return new Parts(
                  db, rules, auth, audit, alertStore, alertStore.open(), regulations, removedRules);
            },
            true)
        .compose(
            parts -> {
              DeadLetterStore deadLetters = new DeadLetterStore(parts.db);
              Notifier notifier =
                  new Notifier(
                      vertx,
                      config.notifications(),
                      letter ->
                          storeWorker.executeBlocking(
                              () -> {
                                deadLetters.add(letter);
                                return null;
                              },
                              true),
                      metrics);
              AlertService alerts =
                  new AlertService(
                      event -> {
                        record(storeWorker, parts.alertStore, eventWriter, event);
                        if (event.pages()) {
                          parts
                              .rules
                              .get(event.alert().ruleId())
                              .ifPresent(rule -> notifier.notify(event, rule));
                        }
                        metrics
                            .counter(RulesMeters.ALERT_TRANSITIONS, "transition", event.kind())
                            .increment();
                        alertListeners.forEach(listener -> listener.accept(event));
                      });
              alerts.restore(parts.openAlerts);
              Gauge.builder(RulesMeters.ALERTS_OPEN, alerts, a -> a.openAlerts().size())
                  .description("open alerts (firing or acknowledged)")
                  .register(metrics);
              if (config.oidc().enabled()) {
                trustWhenReachable(vertx, parts.auth, config.oidc());
              }
              RuleEngine engine =
                  new RuleEngine(
                      vertx,
                      alerts,
                      directory,
                      rule -> recentHistory(historyWorker, history, directory, rule),
                      // on the store's one thread: after every transition queued before
                      () -> storeWorker.executeBlocking(parts.alertStore::open, true),
                      config.tickMs(),
                      config.windows().budget(),
                      metrics);
              parts.rules.listen(
                  new RuleService.Listener() {
                    @Override
                    public Future<Void> saved(Rule rule) {
                      return engine.apply(rule);
                    }

                    @Override
                    public Future<Void> deleted(String id) {
                      return engine.remove(id);
                    }

                    @Override
                    public Future<Void> changedElsewhere(Rule held, Rule stored) {
                      if (held == null || held.scope().zone().equals(stored.scope().zone())) {
                        return engine.apply(stored);
                      }
                      // Moved to another zone, maybe by a zone merge through another node, which
                      // moved the devices in the same transaction: the registry copy is read again
                      // first, after the rule, so it shows that merge (a copy from before would
                      // put the devices out of the rule's scope and resolve their open alerts).
                      // The moved open alerts this node now evaluates are taken over as the rule
                      // starts here, so a reading it sees first does not raise a second alert.
                      return directory
                          .refresh()
                          .otherwiseEmpty()
                          .compose(v -> engine.applyMoved(stored));
                    }
                  });
              DryRuns dryRuns =
                  new DryRuns(
                      vertx, history, directory, config.dryRun(), config.windows(), metrics);
              AlertChanges changes =
                  new AlertChanges(
                      vertx,
                      alerts,
                      parts.alertStore,
                      storeWorker,
                      bus,
                      alert -> alert.evaluatedIn(parts.rules.get(alert.ruleId()).orElse(null)));
              changes.listen();
              mountRoutes(
                  router,
                  parts,
                  alerts,
                  changes,
                  deadLetters,
                  storeWorker,
                  directory,
                  dryRuns,
                  metrics);
              RulesNode node =
                  new RulesNode(
                      parts.db,
                      influx,
                      alertEvents,
                      engine,
                      dryRuns,
                      notifier,
                      List.of(storeWorker, historyWorker, authWorker),
                      alertListeners,
                      alerts,
                      parts.alertStore,
                      storeWorker,
                      parts.auth,
                      parts.rules,
                      parts.regulations,
                      parts.audit,
                      directory);
              // a zone merged through another node (a cluster's ingest node)
              bus.onEvent(
                  ZONE_MERGED_EVENT,
                  event ->
                      node.zoneMerged(
                              event.body().getString("from"), event.body().getString("into"))
                          .onFailure(
                              e ->
                                  LOG.warn(
                                      "event=zone_merge_follow_failed zone={} error=\"{}\"",
                                      event.zone(),
                                      e.getMessage())));
              parts.audit.pruneEvery(
                  AUDIT_PRUNE_PERIOD, Duration.ofDays(config.auditRetentionDays()));
              return engine
                  .start(bus, parts.rules.all())
                  // a new pack version dropped these rules: their open alerts end with them
                  .compose(
                      v -> Future.join(parts.removedRules.stream().map(engine::remove).toList()))
                  .map(
                      v -> {
                        LOG.info(
                            "event=rules_started rules={} open_alerts={}",
                            parts.rules.all().size(),
                            parts.openAlerts.size());
                        return node;
                      });
            });
  }

  /** Trusts the external issuer once its keys can be read, retrying while it is unreachable. */
  private static void trustWhenReachable(Vertx vertx, AuthService auth, OidcSettings oidc) {
    OidcIssuer.discover(vertx, oidc)
        .onSuccess(auth::trust)
        .onFailure(
            e -> {
              LOG.error(
                  "event=oidc_unavailable issuer={} retry_s=30 error=\"{}\"",
                  oidc.issuer(),
                  e.getMessage());
              vertx.setTimer(30_000, id -> trustWhenReachable(vertx, auth, oidc));
            });
  }

  private record Parts(
      RulesDatabase db,
      RuleService rules,
      AuthService auth,
      AuditLog audit,
      AlertStore alertStore,
      List<vn.lantern.rules.alert.Alert> openAlerts,
      Regulations regulations,
      List<String> removedRules) {}

  private static void record(
      WorkerExecutor storeWorker, AlertStore store, AlertEventWriter writer, AlertEvent event) {
    storeWorker
        .executeBlocking(
            () -> {
              store.record(event);
              return null;
            },
            true)
        .onFailure(
            e ->
                LOG.error(
                    "event=alert_store_failed alert={} transition={} error=\"{}\"",
                    event.alert().id(),
                    event.kind(),
                    e.getMessage()));
    writer.write(event);
  }

  private static void mountRoutes(
      Router router,
      Parts parts,
      AlertService alerts,
      AlertChanges changes,
      DeadLetterStore deadLetters,
      WorkerExecutor storeWorker,
      Directory directory,
      DryRuns dryRuns,
      MeterRegistry metrics) {
    ApiRoutes api = new ApiRoutes(router);
    new AuthApi(parts.auth, parts.audit, metrics).mount(api);
    new UsersApi(parts.auth, parts.audit, directory::zoneExists).mount(api);
    new DisplayTokensApi(
            parts.auth, parts.db.store(), parts.auth.worker(), parts.audit, directory::zoneExists)
        .mount(api);
    new AuditApi(parts.audit).mount(api);
    new RulesApi(parts.rules, dryRuns, parts.audit).mount(api);
    new RegulationsApi(parts.regulations, parts.rules::all).mount(api);
    new AlertsApi(
            alerts,
            changes,
            parts.alertStore,
            deadLetters,
            storeWorker,
            parts.audit,
            directory::storedUnder)
        .mount(api);
  }

  private static Future<List<HistoryReader.Sample>> recentHistory(
      WorkerExecutor worker, HistoryReader history, Directory directory, Rule rule) {
    long now = System.currentTimeMillis();
    long lookback = Math.max(3_600_000L, 2 * rule.condition().longestMillis());
    return worker.executeBlocking(
        () ->
            history.read(
                rule,
                directory.storedUnder(rule.scope().zone()),
                directory.typesIn(rule.scope().zone()),
                now - lookback,
                now),
        false);
  }

  /**
   * Takes in the rules other nodes sharing the relational store saved or deleted (a cluster's rules
   * nodes call this periodically).
   */
  public Future<Void> refreshRules() {
    return rules.refresh();
  }

  /**
   * The rules', open alerts' and users' zone references, moved by a zone merge through this node;
   * afterwards memory follows as on {@link #ZONE_MERGED_EVENT}.
   */
  public ZoneReferences zoneReferences() {
    ZoneReferences stored = storedZoneReferences(null);
    return new ZoneReferences() {
      @Override
      public void move(Connection c, String from, String into) throws SQLException {
        stored.move(c, from, into);
      }

      @Override
      public Future<Void> moved(String from, String into) {
        return zoneMerged(from, into);
      }
    };
  }

  /**
   * Zone {@code from} was merged into {@code into} in the shared store: the open alerts held here
   * move to {@code into}, the moved rules reach the engine, and the engine takes over the moved
   * alerts it now evaluates and lets go of the others (another node may evaluate {@code into}).
   */
  private Future<Void> zoneMerged(String from, String into) {
    int alertsMoved = alerts.moveZone(from, into);
    LOG.info("event=zone_alerts_moved zone={} into={} alerts={}", from, into, alertsMoved);
    // Once more on the store's one thread, after any transition recorded from memory before
    // memory followed: such a write put the old zone back.
    return storeWorker
        .executeBlocking(
            () -> {
              alertStore.moveZone(from, into);
              return null;
            },
            true)
        // read after the merge's commit, the registry copy shows the moved devices
        .compose(v -> directory.refresh().otherwiseEmpty())
        .compose(v -> rules.refresh())
        // the surviving zone's rules again, now with the registry copy that has the moved devices
        // (a periodic refresh may have applied a moved rule before)
        .compose(
            v ->
                Future.join(
                        rules.all().stream()
                            .filter(rule -> rule.scope().zone().equals(into))
                            .map(engine::apply)
                            .toList())
                    .mapEmpty())
        .compose(v -> engine.reloadOpenAlerts());
  }

  /**
   * The rules', open alerts' and users' zone references in the shared store alone, for a node that
   * runs no rules engine (a cluster's ingest node): after a merge the rules nodes are told over
   * {@code bus} ({@link #ZONE_MERGED_EVENT}; null: nobody to tell).
   */
  public static ZoneReferences storedZoneReferences(TelemetryBus bus) {
    UserZones users = new UserZones();
    return new ZoneReferences() {
      @Override
      public void move(Connection c, String from, String into) throws SQLException {
        RuleStore.moveZone(c, from, into);
        AlertStore.moveZone(c, from, into);
        users.move(c, from, into);
      }

      @Override
      public Future<Void> moved(String from, String into) {
        if (bus != null) {
          bus.publishEvent(
              new ZoneEvent(
                  into, ZONE_MERGED_EVENT, new JsonObject().put("from", from).put("into", into)));
        }
        return Future.succeededFuture();
      }
    };
  }

  /** The regulation packs in force (bundled, overridden from the data directory). */
  public Regulations regulations() {
    return regulations;
  }

  /** Who may call the API: users' tokens, the service token and a trusted external issuer. */
  public Authenticator authenticator() {
    return auth;
  }

  /** Lets tokens follow zone merges (see {@link AuthService#followZoneAliases}). */
  public void followZoneAliases(
      java.util.function.Supplier<java.util.Map<String, String>> aliases) {
    auth.followZoneAliases(aliases);
  }

  /**
   * Registers a listener of every alert transition (the live stream and the KPIs); it is called
   * under the alert service's lock and must not block.
   */
  @Override
  public void onAlertEvent(Consumer<AlertEvent> listener) {
    alertListeners.add(listener);
  }

  /** The open alerts, for the KPIs {@code alerts_open_critical} and {@code alerts_open_warning}. */
  @Override
  public List<vn.lantern.rules.alert.Alert> openAlerts() {
    return alerts.openAlerts();
  }

  /** Stops evaluating, lets queued transitions reach the store, then closes everything. */
  public Future<Void> stop(Vertx vertx) {
    audit.stopPruning();
    Future<Void> drained = engine.stop().eventually(dryRuns::close);
    for (WorkerExecutor w : workers) {
      drained =
          drained
              .eventually(() -> w.executeBlocking(() -> null, true))
              .eventually(w::close)
              .mapEmpty();
    }
    return drained.eventually(
        () ->
            vertx.executeBlocking(
                () -> {
                  notifier.close();
                  auth.close();
                  alertEvents.close();
                  influx.close();
                  db.close();
                  return null;
                }));
  }
}
