package vn.lantern.gateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import vn.lantern.common.config.ConfigReference;

/**
 * The gateway's configuration table in {@code docs/gateway.md} cannot drift from {@link
 * GatewayConfig}: every key and {@code LANTERN_GATEWAY_*} binding is documented, and every variable
 * the page names is read.
 */
class GatewayConfigDocsTest {

  private static final ConfigReference DOCS =
      ConfigReference.read(Path.of("..").toAbsolutePath().normalize().resolve("docs/gateway.md"));

  @Test
  void everyKeyAndVariableIsDocumented() {
    assertEquals(
        List.of(), DOCS.problems("Configuration", GatewayConfig.defaults(), GatewayConfig.ENV));
  }

  @Test
  void everyDocumentedGatewayVariableIsRead() {
    List<String> unread =
        DOCS.variables().stream()
            .filter(v -> v.startsWith("LANTERN_GATEWAY_"))
            .filter(v -> !GatewayConfig.ENV.containsKey(v))
            .toList();
    assertEquals(List.of(), unread, "variables docs/gateway.md names but nothing reads");
  }
}
