package vn.lantern.ingest.coap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import vn.lantern.deploy.testing.TestNode;
import vn.lantern.testing.InfluxDbExtension;
import vn.lantern.testing.TestInflux;

/** {@code /health} reports the CoAP endpoints; plain UDP stays off unless enabled. */
@ExtendWith(InfluxDbExtension.class)
class CoapHealthTest {

  @Test
  void healthShowsTheDtlsPortAndPlainUdpOffByDefault(@TempDir Path dataDir, TestInflux influx)
      throws Exception {
    try (TestNode fixture =
        TestNode.builder(dataDir, influx.url(), influx.database())
            .set("rules.seedRulePacks", false)
            .start()) {
      TestNode.Response health = fixture.get("/health");
      assertEquals(200, health.status(), health.body());
      JsonObject coap = health.json().getJsonObject("checks").getJsonObject("coap");
      assertEquals("UP", coap.getString("status"));
      assertEquals(fixture.node().ingest().coapsPort(), coap.getInteger("securePort"));
      assertFalse(coap.getBoolean("insecure"));
      assertNull(coap.getValue("insecurePort"));
      assertEquals(-1, fixture.node().ingest().coapPort());
    }
  }
}
