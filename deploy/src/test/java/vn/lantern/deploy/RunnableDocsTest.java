package vn.lantern.deploy;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import vn.lantern.deploy.testing.TestNode;
import vn.lantern.testing.InfluxDbExtension;
import vn.lantern.testing.TestInflux;

/**
 * Runs every code block marked {@code sh runnable} in the README and {@code docs/} against a live
 * node, in file order, so the documented commands keep working.
 */
@ExtendWith(InfluxDbExtension.class)
class RunnableDocsTest {
  private static final Pattern BLOCK =
      Pattern.compile("(?ms)^```(?:sh|bash) runnable\\s*\\n(.*?)^```\\s*$");

  @TempDir static Path dataDir;
  private static TestNode node;

  @BeforeAll
  static void start(TestInflux influx) throws Exception {
    ShellRun.require("curl", "curl");
    ShellRun.require("coap-client-openssl", "libcoap3-bin");
    node = TestNode.builder(dataDir, influx).start();
  }

  @AfterAll
  static void stop() throws Exception {
    if (node != null) {
      node.close();
    }
  }

  @TestFactory
  Stream<DynamicTest> documentedCommandsWork() throws Exception {
    List<DynamicTest> tests = new ArrayList<>();
    for (Path file : documents()) {
      Matcher m = BLOCK.matcher(Files.readString(file));
      int n = 0;
      while (m.find()) {
        String script = m.group(1);
        String name = ShellRun.ROOT.relativize(file) + " block " + ++n;
        tests.add(DynamicTest.dynamicTest(name, () -> runBlock(script)));
      }
    }
    assertTrue(tests.size() >= 3, "runnable blocks found: " + tests.size());
    return tests.stream();
  }

  private static void runBlock(String script) throws Exception {
    ShellRun.run(
        List.of("bash", "-euo", "pipefail", "-c", script),
        Map.of(
            "API", node.apiUrl(),
            "LANTERN_API_TOKEN", TestNode.SERVICE_TOKEN,
            "MQTT_PORT", String.valueOf(node.mqttPort()),
            "COAPS_PORT", String.valueOf(node.coapsPort())));
  }

  private static List<Path> documents() throws Exception {
    List<Path> files = new ArrayList<>();
    files.add(ShellRun.ROOT.resolve("README.md"));
    try (Stream<Path> docs = Files.list(ShellRun.ROOT.resolve("docs"))) {
      docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add);
    }
    return files;
  }
}
