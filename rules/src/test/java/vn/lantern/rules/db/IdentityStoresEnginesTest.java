package vn.lantern.rules.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import vn.lantern.auth.LastAdminException;
import vn.lantern.auth.RevocationStore;
import vn.lantern.auth.Role;
import vn.lantern.auth.User;
import vn.lantern.auth.UserStore;
import vn.lantern.auth.audit.AuditEntry;
import vn.lantern.auth.audit.AuditLog;
import vn.lantern.auth.audit.AuditPage;
import vn.lantern.auth.audit.AuditQuery;
import vn.lantern.auth.display.DisplayToken;
import vn.lantern.auth.display.DisplayTokenStore;
import vn.lantern.common.store.DatabaseSettings;
import vn.lantern.testing.TestDatabases;

/**
 * Users' token versions and disabled flag, the last-admin guard, logged-out tokens, display tokens
 * and the audit log behave the same on the embedded H2 file and on a real PostgreSQL server.
 */
class IdentityStoresEnginesTest {
  @TempDir Path dataDir;

  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void usersAreVersionedAndTheLastAdminStays(TestDatabases engine) {
    DatabaseSettings settings = engine.freshDatabase();
    try (RulesDatabase db = RulesDatabase.open(settings, dataDir)) {
      UserStore users = new UserStore(db.store());
      RevocationStore revocations = new RevocationStore(db.store());
      assertTrue(users.save(new User("boss", "pbkdf2$1$a$b", Role.ADMIN, Set.of())));
      assertTrue(users.save(new User("an", "pbkdf2$1$a$b", Role.ZONE_MANAGER, Set.of("hoi-an"))));
      assertFalse(users.save(new User("an", "pbkdf2$1$a$b", Role.ZONE_MANAGER, Set.of("hoi-an"))));
      assertEquals(0, users.find("an").orElseThrow().tokenVersion(), "an unchanged save keeps it");
      assertEquals(Optional.empty(), revocations.userTokenRefusal("an", 0, "t-1"));

      User changed =
          users
              .update(
                  "an", u -> new User("an", u.passwordHash(), u.role(), Set.of("tam-ky"), true, 0))
              .orElseThrow();
      assertEquals(1, changed.tokenVersion());
      assertTrue(users.find("an").orElseThrow().disabled());
      assertEquals(Optional.of("user_disabled"), revocations.userTokenRefusal("an", 1, "t-1"));
      users.update("an", u -> new User("an", u.passwordHash(), u.role(), u.zones(), false, 0));
      assertEquals(Optional.of("user_changed"), revocations.userTokenRefusal("an", 1, "t-1"));
      assertEquals(Optional.empty(), revocations.userTokenRefusal("an", 2, "t-1"));
      assertEquals(Optional.empty(), users.update("nobody", u -> u));

      revocations.revoke("t-1", System.currentTimeMillis() + 60_000);
      revocations.revoke("t-1", System.currentTimeMillis() + 60_000);
      revocations.revoke("t-old", System.currentTimeMillis() - 1);
      assertEquals(Optional.of("logged_out"), revocations.userTokenRefusal("an", 2, "t-1"));
      assertEquals(Optional.empty(), revocations.userTokenRefusal("an", 2, "t-2"));

      assertThrows(LastAdminException.class, () -> users.delete("boss"));
      assertThrows(
          LastAdminException.class,
          () ->
              users.update(
                  "boss", u -> new User("boss", u.passwordHash(), u.role(), Set.of(), true, 0)));
      assertThrows(
          LastAdminException.class,
          () -> users.save(new User("boss", "pbkdf2$1$a$b", Role.OPERATOR, Set.of())));
      assertTrue(users.find("boss").orElseThrow().isEnabledAdmin(), "refused changes roll back");
      assertTrue(users.delete("an"));
      assertFalse(users.delete("an"));
      assertEquals(Optional.of("user_deleted"), revocations.userTokenRefusal("an", 2, "t-9"));

      DisplayTokenStore displays = new DisplayTokenStore(db.store());
      displays.add(new DisplayToken("d-1", "IOC wall 1", Set.of("hoi-an"), "boss", 1, 2));
      assertEquals(Optional.empty(), revocations.displayTokenRefusal("d-1"));
      assertEquals(Set.of("hoi-an"), displays.all().get(0).zones());
      assertTrue(displays.delete("d-1"));
      assertEquals(Optional.of("display_token_deleted"), revocations.displayTokenRefusal("d-1"));
    }
    try (RulesDatabase db = RulesDatabase.open(settings, dataDir)) {
      assertEquals(
          List.of("boss"), new UserStore(db.store()).all().stream().map(User::username).toList());
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void theAuditLogIsReadNewestFirstInPages(TestDatabases engine) throws Exception {
    Vertx vertx = Vertx.vertx();
    try (RulesDatabase db = RulesDatabase.open(engine.freshDatabase(), dataDir)) {
      AuditLog log = new AuditLog(vertx, db.store());
      for (int i = 0; i < 5; i++) {
        await(log.record("an", "10.0.0." + i, "login", "an", i % 2 == 0, null));
      }
      await(log.record("service", null, "device.delete", "hoian-wl-01", true, "x".repeat(2000)));
      AuditPage first = await(log.read(new AuditQuery(null, null, "an", null, 2, null)));
      assertEquals(
          List.of("10.0.0.4", "10.0.0.3"),
          first.entries().stream().map(AuditEntry::address).toList());
      AuditPage second =
          await(
              log.read(
                  new AuditQuery(
                      null, null, "an", null, 2, AuditQuery.Cursor.parse(first.next()))));
      assertEquals(
          List.of("10.0.0.2", "10.0.0.1"),
          second.entries().stream().map(AuditEntry::address).toList());
      AuditPage third =
          await(
              log.read(
                  new AuditQuery(
                      null, null, "an", null, 2, AuditQuery.Cursor.parse(second.next()))));
      assertEquals(1, third.entries().size());
      assertNull(third.next());
      AuditEntry deleted =
          await(log.read(new AuditQuery(null, null, null, "device.delete", 10, null)))
              .entries()
              .get(0);
      assertEquals(1000, deleted.detail().length(), "long details are clipped");
      assertEquals(AuditEntry.REFUSED, first.entries().get(1).outcome());
      long now = System.currentTimeMillis();
      assertEquals(
          0,
          await(log.read(new AuditQuery(now + 60_000, null, null, null, 10, null)))
              .entries()
              .size());
      assertEquals(
          6,
          await(log.read(new AuditQuery(now - 60_000, now + 1, null, null, 10, null)))
              .entries()
              .size());
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  private static <T> T await(io.vertx.core.Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
