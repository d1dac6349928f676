package vn.lantern.sim.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import vn.lantern.sim.testing.InProcessNode;
import vn.lantern.testing.InfluxDbExtension;
import vn.lantern.testing.TestInflux;

/**
 * {@code bench idle} end to end, kept tiny (three connections held for a second) against a node in
 * this JVM, whose memory it reads through jcmd. Not a memory check: no assertion on the figures.
 */
@ExtendWith(InfluxDbExtension.class)
class IdleBenchTest {
  @Test
  void connectsIdleDevicesAndReportsMemoryPerConnection(TestInflux influx, @TempDir Path dir)
      throws Exception {
    try (InProcessNode node = InProcessNode.start(influx, dir)) {
      BenchOptions options = TestLoads.mqtt(node, null, 3, Duration.ofSeconds(1), 1, Duration.ZERO);
      IdleReport report = new IdleBench(options, Duration.ofSeconds(1)).run();

      assertEquals(3, report.connected(), report.summary());
      assertTrue(report.rssKibBefore() > 0, report.summary());
      assertTrue(report.heapKibAfter() > 0, report.summary());
      assertNotNull(report.totalKibPerConnection(), report.summary());

      Path file = dir.resolve("idle.json");
      report.write(file);
      JsonNode json = new ObjectMapper().readTree(file.toFile());
      for (String field :
          new String[] {
            "connected", "rss_kib_per_connection", "heap_kib_per_connection", "summary"
          }) {
        assertTrue(json.has(field), field);
      }
    }
  }

  @Test
  void readsTheLiveHeapFromHeapInfo() {
    String g1 =
        "4242:\n garbage-first heap   total 1048576K, used 52224K [0x00000000c0000000,"
            + " 0x0000000100000000)\n  region size 1024K, 2 young (2048K), 0 survivors (0K)\n"
            + " Metaspace       used 60000K, committed 60500K, reserved 1114112K\n";
    assertEquals(52224, NodeMemory.liveHeapKib(g1));
  }
}
