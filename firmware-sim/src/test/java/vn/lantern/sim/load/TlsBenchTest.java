package vn.lantern.sim.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import vn.lantern.sim.device.DeviceTls;
import vn.lantern.sim.testing.InProcessNode;
import vn.lantern.testing.InfluxDbExtension;
import vn.lantern.testing.TestInflux;

/**
 * {@code bench ingest} against a node with TLS on: MQTT over {@code ssl://} and CoAP over DTLS, the
 * bench devices logging in with certificates from the node's device CA. Not a performance check.
 */
@ExtendWith(InfluxDbExtension.class)
class TlsBenchTest {
  private static final int DEVICES = 2;
  @TempDir static Path dir;
  private static InProcessNode node;
  private static DeviceTls tls;

  @BeforeAll
  static void startNode(TestInflux influx) throws Exception {
    node = InProcessNode.startWithTls(influx, dir);
    Path certs = dir.resolve("bench-certs");
    for (int i = 0; i < DEVICES; i++) {
      node.issueDeviceCertificate(BenchDevices.id(i), certs);
    }
    tls = new DeviceTls(node.serverCaFile(), certs);
  }

  @AfterAll
  static void stopNode() throws Exception {
    if (node != null) {
      node.close();
    }
  }

  @Test
  void mqttOverTlsWithDeviceCertificates(TestInflux influx) throws Exception {
    BenchReport report = new IngestBench(options(influx, node.mqttsUri(), null)).run();
    assertEquals(DEVICES, report.connected(), report.summary());
    assertEquals(0, report.errors(), report.summary());
    assertTrue(report.acked() > 0, report.summary());
    assertEquals(0L, report.missingInInflux(), report.summary());
  }

  @Test
  void coapOverDtlsWithDeviceCertificates(TestInflux influx) throws Exception {
    BenchReport report = new IngestBench(options(influx, null, node.coapsUri())).run();
    assertEquals(0, report.errors(), report.summary());
    assertTrue(report.acked() > 0, report.summary());
    assertEquals(0L, report.missingInInflux(), report.summary());
  }

  private static BenchOptions options(TestInflux influx, String mqtt, String coap) {
    return new BenchOptions(
        mqtt,
        coap,
        node.apiUrl(),
        node.apiToken(),
        influx.url(),
        influx.database(),
        DEVICES,
        Duration.ofSeconds(2),
        null,
        1,
        2,
        1,
        "tam-ky",
        null,
        null,
        tls,
        Duration.ZERO);
  }
}
