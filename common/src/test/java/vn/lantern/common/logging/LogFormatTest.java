package vn.lantern.common.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

/** The shipped logback.xml, configured as a process would be with LANTERN_LOG_* settings. */
class LogFormatTest {

  @Test
  void textLinesCarryTimestampLevelAndLogger() throws Exception {
    String out = logWith(Map.of(), log -> log.info("event=started port=1883"));

    assertTrue(
        out.matches(
            "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z INFO  \\[[^\\]]+\\]"
                + " vn\\.lantern\\.test\\.Probe - event=started port=1883\\R"),
        out);
  }

  @Test
  void jsonFormatWritesOneObjectPerLine() throws Exception {
    String out =
        logWith(Map.of("LANTERN_LOG_FORMAT", "json"), log -> log.warn("event=refused reason=auth"));

    assertEquals(1, out.lines().count(), out);
    JsonNode line = new ObjectMapper().readTree(out);
    assertEquals("WARN", line.get("level").asText());
    assertEquals("vn.lantern.test.Probe", line.get("logger_name").asText());
    assertEquals("event=refused reason=auth", line.get("message").asText());
    assertTrue(line.hasNonNull("@timestamp"), out);
  }

  @Test
  void levelIsConfigurableWithoutRebuild() throws Exception {
    String quiet =
        logWith(
            Map.of("LANTERN_LOG_LEVEL", "WARN"),
            log -> {
              log.info("event=hidden");
              log.warn("event=shown");
            });
    String verbose = logWith(Map.of("LANTERN_LOG_LEVEL", "DEBUG"), log -> log.debug("event=debug"));

    assertFalse(quiet.contains("event=hidden"), quiet);
    assertTrue(quiet.contains("event=shown"), quiet);
    assertTrue(verbose.contains("event=debug"), verbose);
  }

  /**
   * Configures a fresh context from the shipped file; context properties stand in for the
   * environment (Logback looks them up before system properties and environment variables).
   */
  private static String logWith(Map<String, String> settings, Consumer<Logger> body)
      throws Exception {
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream stderr = System.err;
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    LoggerContext context = new LoggerContext();
    context.setMDCAdapter(new LogbackMDCAdapter());
    try {
      settings.forEach(context::putProperty);
      JoranConfigurator configurator = new JoranConfigurator();
      configurator.setContext(context);
      configurator.doConfigure(LogFormatTest.class.getResource("/logback.xml"));
      body.accept(context.getLogger("vn.lantern.test.Probe"));
    } finally {
      context.stop();
      System.setErr(stderr);
    }
    return captured.toString(StandardCharsets.UTF_8);
  }
}
