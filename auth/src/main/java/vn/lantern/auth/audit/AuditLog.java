package vn.lantern.auth.audit;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.ext.web.RoutingContext;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.lantern.auth.AuthService;
import vn.lantern.auth.Caller;
import vn.lantern.common.store.RelationalStore;
import vn.lantern.common.store.TransactionStep;

/**
 * Writes the audit log (table {@code audit_log} of the relational store) and reads it back. Every
 * node writes its own actions; writes run on a worker, never on the event loop, and a failed write
 * is logged, never failing the action it records. Each entry is also logged as {@code event=audit}.
 */
public final class AuditLog {
  private static final Logger LOG = LoggerFactory.getLogger(AuditLog.class);

  private static final String INSERT =
      "INSERT INTO audit_log (occurred_at, actor, address, action, target, outcome, detail)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?)";

  private final Vertx vertx;
  private final RelationalStore store;
  private final WorkerExecutor worker;
  private long pruneTimer = -1;

  public AuditLog(Vertx vertx, RelationalStore store) {
    this.vertx = vertx;
    this.store = store;
    this.worker = vertx.createSharedWorkerExecutor("lantern-audit", 1);
  }

  /**
   * Records an action of the request's signed-in caller, from the request's address.
   *
   * @param ok whether it was done ({@code ok}) or refused
   */
  public Future<Void> record(
      RoutingContext ctx, String action, String target, boolean ok, String detail) {
    Caller caller = ctx.get(AuthService.CALLER);
    return record(
        caller == null ? "anonymous" : caller.username(), address(ctx), action, target, ok, detail);
  }

  /** Records an action of {@code actor} (e.g. the user name tried at a login). */
  public Future<Void> record(
      String actor, String address, String action, String target, boolean ok, String detail) {
    AuditEntry entry =
        new AuditEntry(
            0,
            System.currentTimeMillis(),
            clip(actor, 128),
            clip(address, 64),
            action,
            clip(target, 256),
            ok ? AuditEntry.OK : AuditEntry.REFUSED,
            clip(detail, 1000));
    LOG.info(
        "event=audit actor={} address={} action={} target={} outcome={}",
        entry.actor(),
        entry.address(),
        entry.action(),
        entry.target(),
        entry.outcome());
    return worker
        .<Void>executeBlocking(
            () -> {
              store.update(INSERT, values(entry));
              return null;
            },
            true)
        .onFailure(
            e ->
                LOG.error(
                    "event=audit_write_failed action={} target={} error=\"{}\"",
                    action,
                    entry.target(),
                    e.getMessage()));
  }

  /**
   * An audit entry for the request's caller written inside another change's transaction (a zone
   * merge, new zone boundaries): the entry exists exactly when the change does.
   */
  public TransactionStep inTransaction(
      RoutingContext ctx, String action, String target, String detail) {
    Caller caller = ctx.get(AuthService.CALLER);
    String actor = caller == null ? "anonymous" : caller.username();
    String address = address(ctx);
    return c -> {
      AuditEntry entry =
          new AuditEntry(
              0,
              System.currentTimeMillis(),
              clip(actor, 128),
              clip(address, 64),
              action,
              clip(target, 256),
              AuditEntry.OK,
              clip(detail, 1000));
      try (PreparedStatement ps = c.prepareStatement(INSERT)) {
        RelationalStore.bind(ps, values(entry));
        ps.executeUpdate();
      }
      LOG.info(
          "event=audit actor={} address={} action={} target={} outcome={}",
          entry.actor(),
          entry.address(),
          entry.action(),
          entry.target(),
          entry.outcome());
    };
  }

  /**
   * Deletes the entries that occurred before {@code before}, on the log's worker.
   *
   * @return completes with how many were deleted
   */
  public Future<Integer> prune(Instant before) {
    return worker.executeBlocking(
        () ->
            store.update(
                "DELETE FROM audit_log WHERE occurred_at < ?", List.of(before.toEpochMilli())),
        false);
  }

  /**
   * Keeps entries for {@code retention}: prunes the older ones soon, then every {@code period}, off
   * the event loop, until {@link #stopPruning}. Every node sharing the store may do so: a second
   * pruning finds nothing left to delete.
   */
  public synchronized void pruneEvery(Duration period, Duration retention) {
    stopPruning();
    pruneTimer =
        vertx.setPeriodic(
            1,
            period.toMillis(),
            id -> {
              Instant before = Instant.now().minus(retention);
              prune(before)
                  .onSuccess(
                      deleted -> {
                        if (deleted > 0) {
                          LOG.info("event=audit_pruned deleted={} before={}", deleted, before);
                        }
                      })
                  .onFailure(
                      e -> LOG.warn("event=audit_prune_failed error=\"{}\"", e.getMessage()));
            });
  }

  /** Stops the pruning {@link #pruneEvery} started, if any. */
  public synchronized void stopPruning() {
    if (pruneTimer >= 0) {
      vertx.cancelTimer(pruneTimer);
      pruneTimer = -1;
    }
  }

  /** The client's address of a request. */
  public static String address(RoutingContext ctx) {
    return ctx.request().remoteAddress() == null
        ? null
        : ctx.request().remoteAddress().hostAddress();
  }

  /** Reads entries matching {@code query}, newest first; on the log's worker. */
  public Future<AuditPage> read(AuditQuery query) {
    return worker.executeBlocking(() -> query.run(store), false);
  }

  private static List<Object> values(AuditEntry e) {
    List<Object> values = new ArrayList<>();
    values.add(e.timeMs());
    values.add(e.actor());
    values.add(e.address());
    values.add(e.action());
    values.add(e.target());
    values.add(e.outcome());
    values.add(e.detail());
    return values;
  }

  private static String clip(String s, int max) {
    return s == null || s.length() <= max ? s : s.substring(0, max);
  }
}
