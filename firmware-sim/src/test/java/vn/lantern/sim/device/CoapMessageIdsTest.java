package vn.lantern.sim.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** What a client's message ids allow (RFC 7252 4.4), with Californium's defaults. */
class CoapMessageIdsTest {

  @Test
  void aClientKeepsUpAbout247ConfirmableRequestsASecond() {
    // 65,000 ids in 16 groups of 4,063, one group always held back
    assertEquals(60_937, CoapMessageIds.DEFAULT.perLifetime());
    assertEquals(Duration.ofSeconds(247), CoapMessageIds.DEFAULT.lifetime());
    assertEquals(246.7, CoapMessageIds.DEFAULT.sustainedPerSecond(), 0.05);
    assertEquals(60, new CoapMessageIds(64).perLifetime());
  }

  @Test
  void aFastClientRunsOutWithinTheRunASlowOneDoesNot() {
    // 8 clients at 22,400 requests/s in all, as measured on 2026-12-01: out after ~22 s
    assertEquals(
        Duration.ofMillis(21_763),
        CoapMessageIds.DEFAULT.runsOut(2_800, Duration.ofSeconds(35)).orElseThrow());
    assertFalse(CoapMessageIds.DEFAULT.runsOut(2_800, Duration.ofSeconds(20)).isPresent());
    // below the sustained rate, however long the run
    assertFalse(CoapMessageIds.DEFAULT.runsOut(240, Duration.ofHours(1)).isPresent());
    assertTrue(CoapMessageIds.DEFAULT.runsOut(250, Duration.ofHours(1)).isPresent());
  }

  @Test
  void californiumsFailureForExhaustedIdsIsRecognised() {
    assertTrue(CoapMessageIds.exhausted("CoAP request failed: automatic message IDs exhausted"));
    assertFalse(CoapMessageIds.exhausted("CoAP request failed: timed out"));
    assertFalse(CoapMessageIds.exhausted(null));
  }
}
