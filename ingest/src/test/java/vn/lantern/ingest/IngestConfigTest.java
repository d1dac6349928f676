package vn.lantern.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.lantern.common.config.ConfigLoader;

/** The ingest config: documented defaults, overridden by a YAML file, overridden by LANTERN_*. */
class IngestConfigTest {
  @TempDir Path dir;

  @Test
  void fileOverridesDefaultsAndEnvironmentOverridesFile() throws Exception {
    Path file = dir.resolve("lantern.yaml");
    Files.writeString(
        file,
        String.join(
            "\n",
            "dataDir: /srv/lantern",
            "mqtt:",
            "  port: 11883",
            "influx:",
            "  url: http://influx.example:8086",
            "  database: from_file",
            "  batchSize: 1000",
            ""));

    IngestConfig config =
        load(
            file,
            Map.of(
                "LANTERN_MQTT_PORT", "0",
                "LANTERN_INFLUX_DB", "from_env",
                "LANTERN_HTTP_PORT", "18080",
                "UNRELATED", "ignored"));

    assertEquals("/srv/lantern", config.dataDir());
    assertEquals(0, config.mqtt().port());
    assertEquals(IngestConfig.defaults().mqtt().host(), config.mqtt().host());
    assertEquals(18080, config.http().port());
    assertEquals("http://influx.example:8086", config.influx().url());
    assertEquals("from_env", config.influx().database());
    assertEquals(1000, config.influx().batchSize());
    assertEquals(
        IngestConfig.defaults().influx().writesInFlight(), config.influx().writesInFlight());
    assertEquals(IngestConfig.defaults().limits(), config.limits());
  }

  @Test
  void withoutFileOrEnvironmentTheDefaultsApply() {
    assertEquals(IngestConfig.defaults(), load(null, Map.of()));
  }

  @Test
  void unknownKeyInTheFileIsAnErrorNamingIt() throws Exception {
    Path file = dir.resolve("typo.yaml");
    Files.writeString(file, "mqtt:\n  prot: 1884\n");

    ConfigLoader.ConfigException e =
        assertThrows(ConfigLoader.ConfigException.class, () -> load(file, Map.of()));
    assertTrue(e.getMessage().contains("prot"), e.getMessage());
  }

  @Test
  void connectionLimitsComeFromTheEnvironment() {
    IngestConfig config =
        load(
            null,
            Map.of(
                "LANTERN_MAX_MQTT_PER_ADDRESS",
                "1000",
                "LANTERN_MAX_MQTT_PER_DEVICE",
                "3",
                "LANTERN_COAPS_MAX_CONNECTIONS",
                "20000"));
    assertEquals(new IngestConfig.Connections(1000, 3), config.connections());
    assertEquals(20_000, config.coaps().maxConnections());
    assertEquals(150_000, IngestConfig.defaults().coaps().maxConnections(), "Scandium's default");
  }

  @Test
  void portThatIsNotANumberIsAnError() {
    ConfigLoader.ConfigException e =
        assertThrows(
            ConfigLoader.ConfigException.class,
            () -> load(null, Map.of("LANTERN_MQTT_PORT", "eighteen")));
    assertTrue(e.getMessage().contains("eighteen"), e.getMessage());
  }

  private static IngestConfig load(Path file, Map<String, String> env) {
    return ConfigLoader.load(
        IngestConfig.class, IngestConfig.defaults(), file, env, IngestConfig.ENV);
  }
}
