package vn.lantern.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import vn.lantern.common.config.ConfigReference;
import vn.lantern.ingest.IngestConfig;
import vn.lantern.ioc.kpi.KpiConfig;
import vn.lantern.rules.RulesConfig;

/**
 * {@code docs/configuration.md} cannot drift from the node's config records: every key and every
 * {@code LANTERN_*} binding of each part is in its table, and every variable the page names is
 * read.
 */
class ConfigurationDocsTest {

  private static final ConfigReference DOCS =
      ConfigReference.read(ShellRun.ROOT.resolve("docs/configuration.md"));
  private static final NodeConfig DEFAULTS = NodeConfig.load(null, Map.of());

  @Test
  void everyKeyAndVariableOfTheNodeIsDocumented() {
    List<String> problems = new ArrayList<>();
    problems.addAll(DOCS.problems("Standalone node", DEFAULTS.ingest(), IngestConfig.ENV));
    problems.addAll(DOCS.problems("Rules engine", DEFAULTS.rules(), RulesConfig.ENV));
    problems.addAll(DOCS.problems("Scale-out roles", DEFAULTS.scaleOut(), ScaleOutConfig.ENV));
    problems.addAll(DOCS.problems("KPIs", DEFAULTS.kpis(), KpiConfig.ENV));
    assertEquals(List.of(), problems);
  }

  @Test
  void everyDocumentedVariableIsRead() throws IOException {
    Set<String> read = new HashSet<>();
    for (Map<String, String> env :
        List.of(IngestConfig.ENV, RulesConfig.ENV, KpiConfig.ENV, ScaleOutConfig.ENV)) {
      read.addAll(env.keySet());
    }
    // Logging is configured before any config record is loaded: logback.xml reads its variables.
    String logback;
    try (InputStream in = getClass().getResourceAsStream("/logback.xml")) {
      assertNotNull(in, "logback.xml of lantern-common on the classpath");
      logback = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    List<String> unread =
        DOCS.variables().stream()
            .filter(v -> !read.contains(v) && !logback.contains("${" + v))
            .toList();
    assertEquals(List.of(), unread, "variables docs/configuration.md names but nothing reads");
  }
}
