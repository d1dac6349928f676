package vn.lantern.sim.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import vn.lantern.sim.device.CoapMessageIds;
import vn.lantern.sim.testing.InProcessNode;
import vn.lantern.testing.InfluxDbExtension;
import vn.lantern.testing.TestInflux;

/**
 * A generator's CoAP/DTLS clients that run out of message ids (RFC 7252 4.4) against a real node:
 * each client is given 64 ids, so it runs out after about 60 requests and gets none back for the
 * 247 s exchange lifetime, well after this short run. What the clients do then is the point.
 */
@ExtendWith(InfluxDbExtension.class)
class CoapMessageIdsBenchTest {
  private static final CoapMessageIds FEW = new CoapMessageIds(64);
  private static final int DEVICES = 2;
  private static final int WINDOW = 4;
  private static final Duration DURATION = Duration.ofSeconds(3);

  @Test
  void clientsOutOfMessageIdsBackOffInsteadOfSpinning(TestInflux influx, @TempDir Path dir)
      throws Exception {
    try (InProcessNode node = InProcessNode.start(influx, dir)) {
      BenchOptions options =
          TestLoads.coap(node, influx, node.coapsUri(), DEVICES, DURATION, WINDOW);
      BenchReport report = new IngestBench(options, FEW).run();

      assertEquals(DEVICES, report.connected(), report.summary());
      assertTrue(report.acked() > 0, report.summary());
      assertTrue(report.acked() <= DEVICES * FEW.range(), report.summary());
      assertTrue(report.errors() > 0, "the clients ran out of ids: " + report.summary());
      // A request slot that keeps failing waits 10 ms, 20 ms, ... up to 1 s (half of it jitter)
      // between attempts, so over the run it fails at most ~8 times plus twice a second; spinning
      // on the failure fails tens of thousands of times a second.
      long bound = DEVICES * WINDOW * (8 + 2 * DURATION.toSeconds());
      assertTrue(
          report.errors() <= bound,
          "failed requests " + report.errors() + " > " + bound + ": " + report.summary());
      // A failed reading is sent again as the same reading: nothing acknowledged goes missing, and
      // nothing is stored twice.
      assertEquals(0L, report.missingInInflux(), report.summary());
      assertEquals(report.acked(), report.storedInInflux(), report.summary());
      assertTrue(CoapMessageIds.exhausted(report.lastError()), report.summary());
      assertTrue(report.summary().contains("message IDs exhausted"), report.summary());
    }
  }
}
