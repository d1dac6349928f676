package vn.lantern.rules.db;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import vn.lantern.auth.audit.AuditEntry;
import vn.lantern.auth.audit.AuditLog;
import vn.lantern.auth.audit.AuditQuery;
import vn.lantern.common.store.RelationalStore;
import vn.lantern.testing.TestDatabases;

/**
 * Audit entries older than the retention are deleted, once on demand and periodically, on the
 * embedded H2 file and on a real PostgreSQL server; newer ones stay.
 */
class AuditRetentionEnginesTest {
  private static final Duration RETENTION = Duration.ofDays(400);

  @TempDir Path dataDir;

  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void entriesOlderThanTheRetentionArePruned(TestDatabases engine) throws Exception {
    Vertx vertx = Vertx.vertx();
    try (RulesDatabase db = RulesDatabase.open(engine.freshDatabase(), dataDir)) {
      AuditLog log = new AuditLog(vertx, db.store());
      Instant now = Instant.now();
      insert(db.store(), "very-old", now.minus(Duration.ofDays(800)));
      insert(db.store(), "just-too-old", now.minus(RETENTION).minusSeconds(60));
      insert(db.store(), "kept", now.minus(RETENTION).plusSeconds(3600));
      await(log.record("an", "10.0.0.1", "login", "an", true, null));

      assertEquals(2, await(log.prune(now.minus(RETENTION))));

      assertEquals(List.of("an", "kept"), targets(log));
      assertEquals(0, await(log.prune(now.minus(RETENTION))), "nothing left to prune");
    } finally {
      await(vertx.close());
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void pruningRunsPeriodically(TestDatabases engine) throws Exception {
    Vertx vertx = Vertx.vertx();
    try (RulesDatabase db = RulesDatabase.open(engine.freshDatabase(), dataDir)) {
      AuditLog log = new AuditLog(vertx, db.store());
      insert(db.store(), "kept", Instant.now().minus(Duration.ofDays(1)));
      log.pruneEvery(Duration.ofMillis(100), RETENTION);
      try {
        // Written after the first pruning may have run: a later one deletes it.
        insert(db.store(), "too-old", Instant.now().minus(Duration.ofDays(401)));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (targets(log).size() > 1 && System.nanoTime() < deadline) {
          Thread.sleep(50);
        }
        assertEquals(List.of("kept"), targets(log));
      } finally {
        log.stopPruning();
      }
    } finally {
      await(vertx.close());
    }
  }

  private static void insert(RelationalStore store, String target, Instant at) {
    store.update(
        "INSERT INTO audit_log (occurred_at, actor, address, action, target, outcome)"
            + " VALUES (?, 'admin', '127.0.0.1', 'rule.update', ?, 'ok')",
        List.of(at.toEpochMilli(), target));
  }

  /** The targets of every entry, newest first. */
  private static List<String> targets(AuditLog log) throws Exception {
    return await(log.read(new AuditQuery(null, null, null, null, 1000, null))).entries().stream()
        .map(AuditEntry::target)
        .toList();
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
