package vn.lantern.sim.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
 * The load generator end to end over MQTT and CoAP, kept tiny (a few devices for two seconds): it
 * registers its devices, publishes, and its report's stored-readings check agrees with InfluxDB.
 * Not a performance check: no assertion on rates or latencies.
 */
@ExtendWith(InfluxDbExtension.class)
class IngestBenchTest {
  @Test
  void reportsAcknowledgedReadingsAndFindsThemAllStored(TestInflux influx, @TempDir Path dir)
      throws Exception {
    try (InProcessNode node = InProcessNode.start(influx, dir)) {
      BenchOptions options =
          TestLoads.mqtt(node, influx, 5, Duration.ofSeconds(2), 2, Duration.ZERO);
      BenchReport report = new IngestBench(options).run();

      assertEquals(5, report.connected());
      assertEquals(0, report.errors());
      assertTrue(report.acked() > 0, report.summary());
      assertEquals(report.sent(), report.acked(), report.summary());
      assertEquals(0L, report.missingInInflux());
      assertEquals(report.acked(), report.storedInInflux());
      assertTrue(report.latencyMs().max() > 0);
      assertTrue(report.ingestCpuSeconds() != null);

      Path file = dir.resolve("report.json");
      report.write(file);
      JsonNode json = new ObjectMapper().readTree(file.toFile());
      for (String field :
          new String[] {
            "sent", "acked", "errors", "acked_per_s", "missing_in_influx", "ingest_cpu_s", "summary"
          }) {
        assertTrue(json.has(field), field);
      }
      for (String p : new String[] {"p50", "p99", "p999", "max"}) {
        assertTrue(json.get("latency_ms").has(p), p);
      }
    }
  }

  @Test
  void aWarmUpIsRunButNotCountedInTheMeasuredFigures(TestInflux influx, @TempDir Path dir)
      throws Exception {
    try (InProcessNode node = InProcessNode.start(influx, dir)) {
      BenchOptions options =
          TestLoads.mqtt(node, influx, 3, Duration.ofSeconds(1), 2, Duration.ofSeconds(2));
      BenchReport report = new IngestBench(options).run();

      BenchReport.Warmup warmup = report.warmup();
      assertTrue(warmup != null && warmup.acked() > 0, report.summary());
      assertTrue(report.acked() > 0, report.summary());
      assertEquals(0, report.errors(), report.summary());
      // Both parts are stored; only the measured one is in the report's count.
      assertEquals(0L, report.missingInInflux(), report.summary());
      assertEquals(warmup.acked() + report.acked(), report.storedInInflux(), report.summary());
      assertTrue(warmup.line().contains("not measured"), warmup.line());
    }
  }

  @Test
  void coapRunFindsEveryAcknowledgedReadingStored(TestInflux influx, @TempDir Path dir)
      throws Exception {
    try (InProcessNode node = InProcessNode.start(influx, dir)) {
      assertEveryAcknowledgedReadingStored(influx, node, node.coapsUri());
    }
  }

  @Test
  void plainCoapRunFindsEveryAcknowledgedReadingStored(TestInflux influx, @TempDir Path dir)
      throws Exception {
    try (InProcessNode node = InProcessNode.startWithPlainCoap(influx, dir)) {
      assertEveryAcknowledgedReadingStored(influx, node, node.coapUri());
    }
  }

  private static void assertEveryAcknowledgedReadingStored(
      TestInflux influx, InProcessNode node, String coapUri) throws Exception {
    BenchOptions options = TestLoads.coap(node, influx, coapUri, 3, Duration.ofSeconds(2), 2);
    BenchReport report = new IngestBench(options).run();

    assertEquals(0, report.errors(), report.summary());
    assertTrue(report.acked() > 0, report.summary());
    assertEquals(0L, report.missingInInflux());
    assertTrue(report.storedInInflux() >= report.acked());
    assertEquals(3, report.connected(), "every device made its handshake first");
  }
}
