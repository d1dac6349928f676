package vn.lantern.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {
  private final AtomicLong now = new AtomicLong(1_000_000);
  private final LoginThrottle throttle = new LoginThrottle(now::get);

  @Test
  void aUserNameIsBlockedAfterFiveFailuresUntilTheFirstLeavesTheWindow() {
    for (int i = 0; i < LoginThrottle.MAX_PER_USER; i++) {
      assertEquals(0, throttle.retryAfterMs("admin", "10.0.0.1"));
      throttle.failed("admin", "10.0.0.1");
      now.addAndGet(1000);
    }
    long wait = throttle.retryAfterMs("Admin", "10.0.0.2");
    assertEquals(LoginThrottle.WINDOW_MS - 5000, wait);
    assertEquals(0, throttle.retryAfterMs("operator", "10.0.0.1"));
    now.addAndGet(wait);
    assertEquals(0, throttle.retryAfterMs("admin", "10.0.0.1"));
  }

  @Test
  void aSuccessForgivesTheUserName() {
    for (int i = 0; i < LoginThrottle.MAX_PER_USER - 1; i++) {
      throttle.failed("admin", "10.0.0.1");
    }
    throttle.succeeded("admin");
    throttle.failed("admin", "10.0.0.1");
    assertEquals(0, throttle.retryAfterMs("admin", "10.0.0.1"));
  }

  @Test
  void oneClientTryingManyUserNamesIsBlocked() {
    for (int i = 0; i < LoginThrottle.MAX_PER_CLIENT; i++) {
      throttle.failed("user" + i, "10.0.0.9");
    }
    assertEquals(LoginThrottle.WINDOW_MS, throttle.retryAfterMs("someone-else", "10.0.0.9"));
    assertEquals(0, throttle.retryAfterMs("someone-else", "10.0.0.10"));
  }
}
