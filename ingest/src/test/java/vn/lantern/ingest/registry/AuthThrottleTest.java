package vn.lantern.ingest.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The throttle limits failed credential checks, not honest ones: many devices behind one address (a
 * site router, a carrier's NAT) reconnecting at once take turns and are never locked out, while
 * guesses stay bounded even when sent in parallel.
 */
class AuthThrottleTest {
  private static final String NAT = "203.0.113.7";
  private static final int PER_ID = 3;
  private static final int PER_ADDRESS = 5;
  private static final int PENDING = 20;

  private final AuthThrottle throttle =
      new AuthThrottle(new DeviceAuthSettings(2, PENDING, PER_ID, PER_ADDRESS, 60, 1_000));

  @Test
  void aBurstOfHonestReconnectsFromOneAddressDoesNotLockItOut() {
    List<AuthThrottle.Attempt> admitted = new ArrayList<>();
    int refused = 0;
    for (int i = 0; i < 50; i++) {
      AuthThrottle.Attempt attempt = throttle.tryAttempt("meter-" + i, NAT);
      if (attempt == null) {
        refused++;
      } else {
        admitted.add(attempt);
      }
    }
    assertEquals(PENDING, admitted.size(), "checks in flight per address: the pool's queue");
    assertEquals(50 - PENDING, refused);
    admitted.forEach(AuthThrottle.Attempt::release);
    for (int i = 0; i < 50; i++) {
      AuthThrottle.Attempt retry = throttle.tryAttempt("meter-" + i, NAT);
      assertNotNull(retry, "after the first wave succeeded, meter-" + i + " gets its turn");
      retry.release();
    }
  }

  @Test
  void failuresPerAddressStopFurtherChecks() {
    for (int i = 0; i < PER_ADDRESS; i++) {
      throttle.tryAttempt("nobody-" + i, NAT).failed();
    }
    assertNull(throttle.tryAttempt("nobody-x", NAT));
    assertNotNull(throttle.tryAttempt("nobody-x", "198.51.100.1"), "other addresses are not hit");
  }

  @Test
  void parallelGuessesAtOneIdCannotPassItsLimit() {
    List<AuthThrottle.Attempt> inFlight = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      AuthThrottle.Attempt attempt = throttle.tryAttempt("victim", "198.51.100." + i);
      if (attempt != null) {
        inFlight.add(attempt);
      }
    }
    assertEquals(PER_ID, inFlight.size());
    inFlight.forEach(AuthThrottle.Attempt::failed);
    assertNull(throttle.tryAttempt("victim", "198.51.100.99"));
  }

  @Test
  void parallelGuessesFromOneAddressStopOnceFailuresReachTheLimit() {
    int hashed = 0;
    for (int round = 0; round < 20; round++) {
      List<AuthThrottle.Attempt> wave = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        AuthThrottle.Attempt attempt = throttle.tryAttempt("guess-" + round + "-" + i, NAT);
        if (attempt != null) {
          wave.add(attempt);
        }
      }
      hashed += wave.size();
      wave.forEach(AuthThrottle.Attempt::failed);
    }
    assertTrue(hashed <= PER_ADDRESS + PENDING, "hashed " + hashed);
    assertFalse(hashed < PER_ADDRESS, "the first failures are still checked: " + hashed);
  }
}
