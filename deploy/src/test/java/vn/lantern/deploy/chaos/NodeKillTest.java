package vn.lantern.deploy.chaos;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import vn.lantern.testing.InfluxDbExtension;
import vn.lantern.testing.TestInflux;

/**
 * The short version of {@code ./lantern bench chaos}'s node scenario: a node in its own JVM is
 * killed with SIGKILL mid-stream and started again; 4 devices publishing 250 QoS 1 readings each
 * reconnect by themselves, and every acknowledged reading is stored.
 */
@ExtendWith(InfluxDbExtension.class)
class NodeKillTest {
  @TempDir Path dir;

  @Test
  void everyAcknowledgedReadingSurvivesAKillDashNine(TestInflux influx) throws Exception {
    ChaosRun.Verdict verdict =
        new ChaosRun(4, 250, 10, 300, ChaosRun.KILL_NODE).run(dir, influx.url(), influx.database());
    assertTrue(verdict.passed(), verdict.toString());
  }
}
