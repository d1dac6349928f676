package vn.lantern.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.lantern.common.config.ConfigLoader.ConfigException;

class NodeConfigTest {

  @Test
  void oneFileConfiguresEveryPartAndTheEnvironmentWins(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("lantern.yaml");
    Files.writeString(
        file,
        """
        dataDir: /srv/lantern
        mqtt: {port: 11883}
        influx: {url: 'http://influx.internal:8086', database: quangnam}
        rules:
          tickMs: 250
        kpis:
          windowMs: 30000
        scaleOut:
          ingestApi: http://ingest-1:8080
        """);

    NodeConfig config = NodeConfig.load(file, Map.of("LANTERN_KPI_WINDOW_MS", "15000"));

    assertEquals(11883, config.ingest().mqtt().port());
    assertEquals(250, config.rules().tickMs());
    assertEquals(15000, config.kpis().windowMs());
    assertEquals("http://ingest-1:8080", config.scaleOut().ingestApi());
    // The rules engine's defaults follow the node's data directory and InfluxDB.
    assertEquals("/srv/lantern", config.rules().dataDir());
    assertEquals("http://influx.internal:8086", config.rules().influx().url());
    assertEquals("quangnam", config.rules().influx().database());
  }

  @Test
  void noFileMeansTheDocumentedDefaults() {
    NodeConfig config = NodeConfig.load(null, Map.of());
    assertEquals(1883, config.ingest().mqtt().port());
    assertEquals(config.ingest().dataDir(), config.rules().dataDir());
  }

  @Test
  void anUnknownKeyInASectionIsNamed(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("lantern.yaml");
    Files.writeString(file, "rules:\n  tickMillis: 250\n");
    ConfigException e = assertThrows(ConfigException.class, () -> NodeConfig.load(file, Map.of()));
    assertTrue(e.getMessage().contains("tickMillis"), e.getMessage());
  }

  @Test
  void shortAdminTokensAndJwtSecretsAreRefusedWithTheirName() {
    ConfigException token =
        assertThrows(
            ConfigException.class,
            () -> NodeConfig.load(null, Map.of("LANTERN_API_TOKEN", "too-short-token")));
    assertTrue(token.getMessage().contains("LANTERN_API_TOKEN"), token.getMessage());
    assertTrue(token.getMessage().contains("32"), token.getMessage());
    ConfigException jwt =
        assertThrows(
            ConfigException.class,
            () -> NodeConfig.load(null, Map.of("LANTERN_JWT_SECRET", "short-secret")));
    assertTrue(jwt.getMessage().contains("LANTERN_JWT_SECRET"), jwt.getMessage());
    // 31 two-byte characters are 62 bytes: long enough.
    NodeConfig.load(null, Map.of("LANTERN_JWT_SECRET", "đ".repeat(31)));
    NodeConfig.load(null, Map.of("LANTERN_API_TOKEN", "a".repeat(32)));
  }

  @Test
  void theAuditRetentionIsAtLeastADay() {
    assertEquals(400, NodeConfig.load(null, Map.of()).rules().auditRetentionDays());
    assertEquals(
        30,
        NodeConfig.load(null, Map.of("LANTERN_AUDIT_RETENTION_DAYS", "30"))
            .rules()
            .auditRetentionDays());
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () -> NodeConfig.load(null, Map.of("LANTERN_AUDIT_RETENTION_DAYS", "0")));
    assertTrue(e.getMessage().contains("rules.auditRetentionDays"), e.getMessage());
  }
}
