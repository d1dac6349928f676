package vn.lantern.gateway;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import vn.lantern.common.modbus.RegisterMap;
import vn.lantern.gateway.config.GatewayConfig;
import vn.lantern.gateway.modbus.TestSlave;
import vn.lantern.gateway.store.NewReading;
import vn.lantern.ingest.tls.CertificateAuthority;
import vn.lantern.testing.InfluxDbExtension;
import vn.lantern.testing.TestInflux;

/**
 * The gateway's uplink over {@code ssl://} to a node with a certificate from a local CA: once with
 * its secret, once with its own certificate (CN = gateway id) instead; every reading is stored.
 */
@ExtendWith(InfluxDbExtension.class)
class GatewayTlsUplinkTest {
  private static final String ZONE = GatewayEndToEndTest.ZONE;

  @Test
  void uplinkOverTlsWithSecretAndWithClientCertificate(TestInflux influx, @TempDir Path dir)
      throws Exception {
    CertificateAuthority ca = CertificateAuthority.create("Gateway test CA", Duration.ofDays(2));
    Path caFile = dir.resolve("ca.pem");
    ca.asIssued().write(caFile, dir.resolve("ca.key"));
    ca.issueServer(List.of("127.0.0.1"), Duration.ofDays(1))
        .write(dir.resolve("server.pem"), dir.resolve("server.key"));
    try (vn.lantern.deploy.testing.TestNode node =
        vn.lantern.deploy.testing.TestNode.builder(
                dir.resolve("node"), influx.url(), influx.database())
            .set("tls.cert", dir.resolve("server.pem").toString())
            .set("tls.key", dir.resolve("server.key").toString())
            .set("tls.deviceCa", caFile.toString())
            .set("mqtt.tlsPort", 0)
            .set("http.tlsPort", 0)
            .set("http.port", -1)
            .start()) {
      TestNode registry = new TestNode(node);
      String url = "ssl://127.0.0.1:" + node.node().ingest().mqttsPort();
      for (String gw : List.of("gw-tls-secret", "gw-tls-cert")) {
        if (gw.equals("gw-tls-secret")) {
          registry.registerGateway(
              ZONE, gw, gw + TestGateways.SECRET_SUFFIX, Map.of(gw + "-ww1", "wastewater"));
        } else {
          registerInExistingZone(node, gw);
        }
        String cert = "";
        String key = "";
        if (gw.equals("gw-tls-cert")) {
          ca.issueDevice(gw, Duration.ofDays(1))
              .write(dir.resolve(gw + ".pem"), dir.resolve(gw + ".key"));
          cert = dir.resolve(gw + ".pem").toString();
          key = dir.resolve(gw + ".key").toString();
        }
        String device = gw + "-ww1";
        Queue<NewReading> collected = new ConcurrentLinkedQueue<>();
        // A slave per gateway: stopping it ends this gateway's polls only.
        try (TestSlave ww = TestSlave.start(1)) {
          ww.serve(RegisterMap.load("wastewater-analyser"), GatewayEndToEndTest.WASTEWATER);
          GatewayConfig base =
              TestGateways.config(
                  gw,
                  dir.resolve(gw),
                  url,
                  List.of(TestGateways.device(device, ww.endpoint(), 1, "wastewater-analyser")),
                  null,
                  0);
          GatewayConfig config =
              base.toBuilder()
                  .uplink(
                      base.uplink().toBuilder()
                          .caFile(caFile.toString())
                          .certFile(cert)
                          .keyFile(key)
                          .build())
                  .build();
          try (Gateway gateway = Gateway.start(config, collected::addAll)) {
            await(() -> GatewayEndToEndTest.polls(collected, device) >= 3);
            GatewayEndToEndTest.stopPolling(ww, gateway, device);
            await(() -> gateway.queue().depth() == 0);
          }
        }
        GatewayEndToEndTest.assertStoredExactly(influx, "wastewater", device, collected);
      }
    }
  }

  private static void registerInExistingZone(vn.lantern.deploy.testing.TestNode node, String gw) {
    io.vertx.core.json.JsonObject gateway =
        new io.vertx.core.json.JsonObject()
            .put("id", gw)
            .put("type", "gateway")
            .put("zone", ZONE)
            .put("site", "cabinet 2")
            .put("secret", gw + TestGateways.SECRET_SUFFIX);
    io.vertx.core.json.JsonObject device =
        new io.vertx.core.json.JsonObject()
            .put("id", gw + "-ww1")
            .put("type", "wastewater")
            .put("zone", ZONE)
            .put("site", "station 2")
            .put("gateway", gw);
    for (io.vertx.core.json.JsonObject body : List.of(gateway, device)) {
      var response = node.http("POST", "/api/v1/devices", body);
      org.junit.jupiter.api.Assertions.assertEquals(201, response.status(), response.body());
    }
  }

  private static void await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "timed out");
      Thread.sleep(50);
    }
  }
}
