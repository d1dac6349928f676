package vn.lantern.deploy.chaos;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.lantern.testing.InfluxdProcess;

/**
 * {@code ./lantern bench chaos}: the long chaos scenarios under load, each printing a verdict line
 * (readings sent, acknowledged, stored, lost, the node's peak resident memory) to the console and
 * to {@code deploy/target/chaos-report.txt}. Not part of {@code ./lantern test} (the class name
 * does not end in Test); sizes can be changed with {@code -Dchaos.devices=…} and {@code
 * -Dchaos.readings=…}.
 */
class ChaosBench {
  private static final int DEVICES = Integer.getInteger("chaos.devices", 1_000);
  private static final int READINGS = Integer.getInteger("chaos.readings", 120);
  private static final long OUTAGE_MS = Long.getLong("chaos.outageMs", 60_000);
  private static final long ROUND_MS = Long.getLong("chaos.roundMs", 1_000);

  @TempDir Path dir;

  @Test
  void influxDbStoppedUnderLoad() throws Exception {
    try (InfluxdProcess influxd = InfluxdProcess.start()) {
      ChaosRun.Fault outage =
          node -> {
            influxd.stop();
            Thread.sleep(OUTAGE_MS);
            influxd.restart();
          };
      report(
          "influxdb stopped " + OUTAGE_MS / 1000 + " s, " + DEVICES + " connections",
          new ChaosRun(DEVICES, READINGS, ROUND_MS, DEVICES * 5, outage)
              .run(dir, influxd.url(), "lantern"));
    }
  }

  @Test
  void nodeKilledUnderLoad() throws Exception {
    try (InfluxdProcess influxd = InfluxdProcess.start()) {
      report(
          "node kill -9, " + DEVICES + " connections",
          new ChaosRun(DEVICES, READINGS, ROUND_MS, DEVICES * 5, ChaosRun.KILL_NODE)
              .run(dir, influxd.url(), "lantern"));
    }
  }

  private static void report(String scenario, ChaosRun.Verdict verdict) throws Exception {
    String line = "chaos scenario=\"" + scenario + "\" " + verdict;
    System.out.println(line);
    Files.writeString(
        Path.of("target", "chaos-report.txt"),
        line + System.lineSeparator(),
        StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
    assertTrue(verdict.passed(), line);
  }
}
