package vn.lantern.ingest.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The throttle limits failed credential checks, not honest ones: many devices behind one address (a
 * site router, a carrier's NAT) reconnecting at once take turns and are never locked out, while
 * guesses stay bounded even when sent in parallel. A full queue is told apart from too many
 * failures: the first is answered "busy", the second like a wrong secret.
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
    int busy = 0;
    for (int i = 0; i < 50; i++) {
      AuthThrottle.Admission admission = throttle.tryAttempt("meter-" + i, NAT);
      if (admission.admitted()) {
        admitted.add(admission.attempt());
      } else {
        assertEquals(AuthThrottle.Refusal.BUSY, admission.refusal(), "a full queue, not guesses");
        busy++;
      }
    }
    assertEquals(PENDING, admitted.size(), "checks in flight per address: the pool's queue");
    assertEquals(50 - PENDING, busy);
    admitted.forEach(AuthThrottle.Attempt::release);
    for (int i = 0; i < 50; i++) {
      AuthThrottle.Admission retry = throttle.tryAttempt("meter-" + i, NAT);
      assertTrue(retry.admitted(), "after the first wave succeeded, meter-" + i + " gets its turn");
      retry.attempt().release();
    }
  }

  @Test
  void failuresPerAddressStopFurtherChecks() {
    for (int i = 0; i < PER_ADDRESS; i++) {
      throttle.tryAttempt("nobody-" + i, NAT).attempt().failed();
    }
    AuthThrottle.Refusal refusal = throttle.tryAttempt("nobody-x", NAT).refusal();
    assertEquals(AuthThrottle.Refusal.FAILURES_PER_ADDRESS, refusal);
    assertEquals("deviceAuth.maxFailuresPerAddress", refusal.limit().setting());
    assertTrue(
        throttle.tryAttempt("nobody-x", "198.51.100.1").admitted(), "other addresses are not hit");
  }

  @Test
  void parallelGuessesAtOneIdCannotPassItsLimit() {
    List<AuthThrottle.Attempt> inFlight = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      AuthThrottle.Admission admission = throttle.tryAttempt("victim", "198.51.100." + i);
      if (admission.admitted()) {
        inFlight.add(admission.attempt());
      } else {
        assertEquals(
            AuthThrottle.Refusal.FAILURES_PER_ID, admission.refusal(), "guesses in flight");
      }
    }
    assertEquals(PER_ID, inFlight.size());
    inFlight.forEach(AuthThrottle.Attempt::failed);
    AuthThrottle.Refusal refusal = throttle.tryAttempt("victim", "198.51.100.99").refusal();
    assertEquals(AuthThrottle.Refusal.FAILURES_PER_ID, refusal);
    assertEquals("deviceAuth.maxFailuresPerId", refusal.limit().setting());
  }

  @Test
  void parallelGuessesFromOneAddressStopOnceFailuresReachTheLimit() {
    int hashed = 0;
    for (int round = 0; round < 20; round++) {
      List<AuthThrottle.Attempt> wave = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        AuthThrottle.Admission admission = throttle.tryAttempt("guess-" + round + "-" + i, NAT);
        if (admission.admitted()) {
          wave.add(admission.attempt());
        }
      }
      hashed += wave.size();
      wave.forEach(AuthThrottle.Attempt::failed);
    }
    assertTrue(hashed <= PER_ADDRESS + PENDING, "hashed " + hashed);
    assertFalse(hashed < PER_ADDRESS, "the first failures are still checked: " + hashed);
  }
}
