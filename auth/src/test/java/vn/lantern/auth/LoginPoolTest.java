package vn.lantern.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class LoginPoolTest {
  private static final Vertx vertx = Vertx.vertx();

  @AfterAll
  static void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void aFullQueueIsRefusedAtOnceAndTheRestStillRuns() throws Exception {
    try (LoginPool pool = new LoginPool(vertx, 1, 2)) {
      CountDownLatch release = new CountDownLatch(1);
      List<Future<String>> held = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        held.add(
            pool.submit(
                () -> {
                  release.await();
                  return "checked";
                }));
      }
      Future<String> refused = pool.submit(() -> "never");
      assertTrue(refused.failed());
      assertInstanceOf(LoginPool.Busy.class, refused.cause());
      release.countDown();
      for (Future<String> f : held) {
        assertEquals(
            "checked", f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS));
      }
      assertEquals(
          "again",
          pool.submit(() -> "again")
              .toCompletionStage()
              .toCompletableFuture()
              .get(10, TimeUnit.SECONDS));
    }
  }

  @Test
  void loginsRunOnTheirOwnThreads() throws Exception {
    try (LoginPool pool = new LoginPool(vertx, 1, 1)) {
      String thread =
          pool.submit(() -> Thread.currentThread().getName())
              .toCompletionStage()
              .toCompletableFuture()
              .get(10, TimeUnit.SECONDS);
      assertTrue(thread.startsWith("lantern-auth-login"), thread);
    }
  }
}
