package vn.lantern.sim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import vn.lantern.deploy.testing.TestNode;
import vn.lantern.testing.InfluxDbExtension;
import vn.lantern.testing.TestInflux;

/**
 * {@code sim run --api} as an operator runs it, in its own JVM with the token in its environment:
 * after the run it prints each of the drill's promises with whether it held, and the tally. One
 * promise of the scenario holds (Hội An's river below BĐ1), one cannot (above 5 m).
 */
@ExtendWith(InfluxDbExtension.class)
class SimRunReportTest {
  private static final String SCENARIO =
      """
      name: report
      duration: 10m
      devices:
        - {id: report-wl, type: water_level, zone: hoi-an, site: Trạm Hội An, interval: 10s, transport: mqtt3, format: lantern-json, params: {base: 0.5, tide: 0.1}}
      expect:
        - {kpi: river_level_max, zone: hoi-an, below: 1.0, note: below BĐ1}
        - {kpi: river_level_max, zone: hoi-an, above: 5.0, note: a promise this run cannot keep}
      """;

  @Test
  void theRunEndsByPrintingWhichPromisesHeld(@TempDir Path dir, TestInflux influx)
      throws Exception {
    Path scenario = dir.resolve("report.yaml");
    Files.writeString(scenario, SCENARIO, StandardCharsets.UTF_8);
    try (TestNode node = TestNode.builder(dir.resolve("node"), influx).fastKpis(2000).start()) {
      ProcessBuilder run =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-cp",
                  System.getProperty("java.class.path"),
                  LanternSim.class.getName(),
                  "sim",
                  "run",
                  "--scenario",
                  scenario.toString(),
                  "--api",
                  "http://127.0.0.1:" + node.httpPort(),
                  "--mqtt",
                  "tcp://127.0.0.1:" + node.mqttPort(),
                  "--duration",
                  "10s",
                  "--speed",
                  "30",
                  "--settle",
                  "3s")
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("run.log").toFile());
      run.environment().put("LANTERN_API_TOKEN", TestNode.SERVICE_TOKEN);
      Process process = run.start();
      boolean ended = process.waitFor(90, TimeUnit.SECONDS);
      if (!ended) {
        process.destroyForcibly();
      }
      String output = Files.readString(dir.resolve("run.log"), StandardCharsets.UTF_8);
      assertTrue(ended, "sim run did not end within 90 s:\n" + output);
      assertEquals(0, process.exitValue(), output);
      List<String> expects =
          output.lines().filter(line -> line.startsWith("sim run: expect ")).toList();
      assertEquals(2, expects.size(), output);
      assertTrue(expects.get(0).startsWith("sim run: expect HELD"), output);
      assertTrue(expects.get(1).startsWith("sim run: expect FAILED"), output);
      assertTrue(output.contains("sim run: expectations held=1 failed=1"), output);
    }
  }
}
