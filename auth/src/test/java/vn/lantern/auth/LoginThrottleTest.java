package vn.lantern.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {
  private final AtomicLong now = new AtomicLong(1_000_000);
  private final LoginThrottle throttle = new LoginThrottle(now::get);

  @Test
  void aUserNameIsBlockedAfterFiveAttemptsFromOneAddressUntilTheFirstLeavesTheWindow() {
    for (int i = 0; i < LoginThrottle.MAX_PER_USER; i++) {
      assertEquals(0, throttle.acquire("admin", "10.0.0.1"));
      now.addAndGet(1000);
    }
    long wait = throttle.acquire("Admin", "10.0.0.1");
    assertEquals(LoginThrottle.WINDOW_MS - 5000, wait);
    assertEquals(0, throttle.acquire("operator", "10.0.0.1"));
    now.addAndGet(wait);
    assertEquals(0, throttle.acquire("admin", "10.0.0.1"));
  }

  @Test
  void aStrangersFloodDoesNotLockTheUserOutFromAnotherAddress() {
    while (throttle.acquire("admin", "203.0.113.7") == 0) {
      // the stranger guesses until blocked
    }
    assertEquals(0, throttle.acquire("admin", "10.0.0.2"));
  }

  @Test
  void aSuccessForgivesTheUserNameAtThatAddress() {
    for (int i = 0; i < LoginThrottle.MAX_PER_USER - 1; i++) {
      throttle.acquire("admin", "10.0.0.1");
    }
    assertEquals(0, throttle.acquire("admin", "10.0.0.1"));
    throttle.succeeded("admin", "10.0.0.1");
    for (int i = 0; i < LoginThrottle.MAX_PER_USER; i++) {
      assertEquals(0, throttle.acquire("admin", "10.0.0.1"));
    }
  }

  @Test
  void aCancelledAttemptIsNotCounted() {
    for (int i = 0; i < 3 * LoginThrottle.MAX_PER_USER; i++) {
      assertEquals(0, throttle.acquire("admin", "10.0.0.1"));
      throttle.cancelled("admin", "10.0.0.1");
    }
  }

  @Test
  void oneClientTryingManyUserNamesIsBlocked() {
    for (int i = 0; i < LoginThrottle.MAX_PER_CLIENT; i++) {
      assertEquals(0, throttle.acquire("user" + i, "10.0.0.9"));
    }
    assertEquals(LoginThrottle.WINDOW_MS, throttle.acquire("someone-else", "10.0.0.9"));
    assertEquals(0, throttle.acquire("someone-else", "10.0.0.10"));
  }

  @Test
  void parallelAttemptsCannotPassTheLimit() throws Exception {
    CountDownLatch start = new CountDownLatch(1);
    AtomicInteger admitted = new AtomicInteger();
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      Thread t =
          new Thread(
              () -> {
                try {
                  start.await();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
                if (throttle.acquire("admin", "10.0.0.1") == 0) {
                  admitted.incrementAndGet();
                }
              });
      t.start();
      threads.add(t);
    }
    start.countDown();
    for (Thread t : threads) {
      t.join();
    }
    assertEquals(LoginThrottle.MAX_PER_USER, admitted.get());
  }

  @Test
  void longUserNamesAreClippedBeforeTheyAreKept() {
    String prefix = "a".repeat(LoginThrottle.MAX_KEY_CHARS);
    for (int i = 0; i < LoginThrottle.MAX_PER_USER; i++) {
      assertEquals(0, throttle.acquire(prefix + "x".repeat(1 << 20) + i, "10.0.0.1"));
    }
    assertTrue(throttle.acquire(prefix + "y", "10.0.0.1") > 0);
  }

  @Test
  void theNumberOfTrackedKeysIsBoundedEvenWhenNoneHasExpired() {
    for (int i = 0; i < 3 * LoginThrottle.MAX_KEYS; i++) {
      throttle.acquire("user" + i, "10.1." + (i >> 8) + "." + (i & 255));
    }
    assertTrue(
        throttle.trackedKeys() <= LoginThrottle.MAX_KEYS, "tracked " + throttle.trackedKeys());
  }
}
