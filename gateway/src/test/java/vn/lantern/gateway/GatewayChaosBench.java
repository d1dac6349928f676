package vn.lantern.gateway;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import vn.lantern.testing.InfluxDbExtension;
import vn.lantern.testing.TestInflux;

/**
 * The gateway scenario of {@code ./lantern bench chaos}: {@link GatewayChaosRun} at full size,
 * printing its verdict line to the console and to {@code gateway/target/chaos-report.txt}. Not part
 * of {@code ./lantern test} (the class name does not end in Test); sizes can be changed with {@code
 * -Dchaos.sensors=…}, {@code -Dchaos.readings=…}, {@code -Dchaos.roundMs=…} and {@code
 * -Dchaos.outageMs=…}.
 */
@ExtendWith(InfluxDbExtension.class)
class GatewayChaosBench {
  private static final int SENSORS = Integer.getInteger("chaos.sensors", 100);
  private static final int READINGS = Integer.getInteger("chaos.readings", 120);
  private static final long ROUND_MS = Long.getLong("chaos.roundMs", 1_000);
  private static final long OUTAGE_MS = Long.getLong("chaos.outageMs", 60_000);

  @Test
  void gatewayKilledDuringAnUplinkOutage(TestInflux influx, @TempDir Path dir) throws Exception {
    GatewayChaosRun.Verdict verdict =
        new GatewayChaosRun(SENSORS, READINGS, ROUND_MS, OUTAGE_MS, SENSORS * 5).run(dir, influx);
    String line =
        "chaos scenario=\"gateway kill -9 during a "
            + OUTAGE_MS / 1000
            + " s uplink outage, "
            + SENSORS
            + " LAN sensors\" "
            + verdict;
    System.out.println(line);
    Files.writeString(
        Path.of("target", "chaos-report.txt"),
        line + System.lineSeparator(),
        StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
    assertTrue(verdict.passed(), line);
  }
}
