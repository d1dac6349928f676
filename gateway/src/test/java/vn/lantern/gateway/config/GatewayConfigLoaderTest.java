package vn.lantern.gateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import vn.lantern.common.config.ConfigLoader.ConfigException;
import vn.lantern.common.modbus.RegisterMap;

/** The shipped example loads with its placeholders filled from the environment. */
class GatewayConfigLoaderTest {
  private static final Path EXAMPLE = Path.of("examples/modbus-demo.yaml");
  private static final Map<String, String> ENV =
      Map.of(
          "GATEWAY_ID", "gw-demo",
          "GATEWAY_SECRET", "gw-demo-secret-0123",
          "UPLINK_MQTT", "tcp://127.0.0.1:1883",
          "MODBUS_WASTEWATER", "127.0.0.1:5020",
          "MODBUS_ENERGY", "127.0.0.1:5021",
          "DATA_DIR", "/tmp/gw",
          "HTTP_PORT", "8081");

  @Test
  void loadsTheExampleFromTheEnvironment() {
    GatewayConfig config = GatewayConfigLoader.load(EXAMPLE, ENV);
    assertEquals("gw-demo", config.id());
    assertEquals("tcp://127.0.0.1:1883", config.uplink().url());
    assertEquals(8081, config.http().port());
    assertEquals(2, config.modbus().size());
    assertEquals("gw-demo-ww1", config.modbus().get(0).id());
    assertEquals("127.0.0.1:5021", config.modbus().get(1).endpoint());
    assertEquals(1000, config.modbus().get(1).pollIntervalMs());
    assertEquals("/tmp/gw/export", config.export().dir());
    assertEquals(6, config.export().parameters().size());
    config.modbus().forEach(d -> RegisterMap.load(d.map()));
  }

  @Test
  void anUnsetVariableIsNamed() {
    Map<String, String> env = new java.util.HashMap<>(ENV);
    env.remove("UPLINK_MQTT");
    ConfigException e =
        assertThrows(ConfigException.class, () -> GatewayConfigLoader.load(EXAMPLE, env));
    assertTrue(e.getMessage().contains("UPLINK_MQTT"), e.getMessage());
  }

  @Test
  void environmentOverridesKeys() {
    Map<String, String> env = new java.util.HashMap<>(ENV);
    env.put("LANTERN_GATEWAY_HTTP_PORT", "9090");
    assertEquals(9090, GatewayConfigLoader.load(EXAMPLE, env).http().port());
  }
}
