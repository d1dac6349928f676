package vn.lantern.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import vn.lantern.ingest.ConnectionRefusalLog.Limit;

/** A refusal storm costs the log one line per limit and address a minute, counting the rest. */
class ConnectionRefusalLogTest {
  private final AtomicLong now = new AtomicLong(1_000_000);
  private final ConnectionRefusalLog log = new ConnectionRefusalLog(now::get);

  @Test
  void oneLinePerLimitAndAddressAMinuteCountingTheRefusalsBetween() {
    assertEquals(1, refuse(Limit.PER_ADDRESS, "192.0.2.1"), "the first refusal is logged");
    for (int i = 0; i < 5; i++) {
      now.addAndGet(10_000);
      assertEquals(0, refuse(Limit.PER_ADDRESS, "192.0.2.1"), "held back within the minute");
    }
    assertEquals(1, refuse(Limit.PER_DEVICE, "192.0.2.1"), "another limit has its own line");
    assertEquals(1, refuse(Limit.AUTH_FAILURES_PER_ID, "192.0.2.1"));
    assertEquals(
        1,
        refuse(Limit.AUTH_FAILURES_PER_ADDRESS, "192.0.2.1"),
        "the two failure limits share a name (auth_throttled), not a line");
    assertEquals(1, refuse(Limit.PER_ADDRESS, "192.0.2.2"), "another address has its own line");
    now.addAndGet(10_000);
    assertEquals(6, refuse(Limit.PER_ADDRESS, "192.0.2.1"), "this one and the 5 held back");
  }

  @Test
  void manyAddressesGetAtMostSixtyLinesAMinute() {
    long logged = 0;
    for (int i = 0; i < 1_000; i++) {
      logged += refuse(Limit.AUTH_FAILURES_PER_ADDRESS, "198.51.100." + i) > 0 ? 1 : 0;
    }
    assertEquals(60, logged);
    now.addAndGet(60_000);
    assertEquals(
        2, refuse(Limit.AUTH_FAILURES_PER_ADDRESS, "198.51.100.999"), "its held-back one counted");
  }

  private long refuse(Limit limit, String address) {
    return log.refused("mqtt", limit, address, "meter-1");
  }
}
