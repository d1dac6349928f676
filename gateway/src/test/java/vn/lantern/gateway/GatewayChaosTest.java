package vn.lantern.gateway;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import vn.lantern.testing.InfluxDbExtension;
import vn.lantern.testing.TestInflux;

/**
 * The short version of the gateway chaos scenario ({@link GatewayChaosRun}): 4 LAN sensors, a 4 s
 * uplink outage with the gateway killed halfway through. Every reading the gateway acknowledged is
 * stored.
 */
@ExtendWith(InfluxDbExtension.class)
class GatewayChaosTest {

  @Test
  void nothingAcknowledgedIsLostWhenKilledDuringAnOutageUnderLoad(
      TestInflux influx, @TempDir Path dir) throws Exception {
    GatewayChaosRun.Verdict verdict = new GatewayChaosRun(4, 40, 200, 4_000, 20).run(dir, influx);
    assertTrue(verdict.passed(), verdict.toString());
  }
}
