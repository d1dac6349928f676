package vn.lantern.gateway;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import vn.lantern.common.modbus.RegisterMap;
import vn.lantern.gateway.config.GatewayConfig;
import vn.lantern.gateway.modbus.TestSlave;
import vn.lantern.gateway.store.NewReading;
import vn.lantern.testing.InfluxDbExtension;
import vn.lantern.testing.TestInflux;

/** The CoAP uplink: DTLS with the gateway's PSK, {@code POST /telemetry/{deviceId}}, exact data. */
@ExtendWith(InfluxDbExtension.class)
class GatewayCoapUplinkTest {

  @Test
  void relaysOverCoapsWithThePsk(TestInflux influx, @TempDir Path dir) throws Exception {
    String gw = "gw-coap";
    String psk = "gw-coap-psk-0123456789";
    Queue<NewReading> collected = new ConcurrentLinkedQueue<>();
    try (TestSlave ww = TestSlave.start(1);
        TestNode node = TestNode.start(dir.resolve("node"), influx.url(), influx.database(), 0)) {
      ww.serve(RegisterMap.load("wastewater-analyser"), GatewayEndToEndTest.WASTEWATER);
      node.registerGateway(
          GatewayEndToEndTest.ZONE,
          gw,
          gw + TestGateways.SECRET_SUFFIX,
          psk,
          Map.of(gw + "-ww1", "wastewater"));
      GatewayConfig mqtt =
          TestGateways.config(
              gw,
              dir.resolve("gateway"),
              "coaps://127.0.0.1:" + node.coapsPort(),
              List.of(TestGateways.device(gw + "-ww1", ww.endpoint(), 1, "wastewater-analyser")),
              null,
              0);
      GatewayConfig config =
          mqtt.toBuilder().uplink(mqtt.uplink().toBuilder().psk(psk).build()).build();
      try (Gateway gateway = Gateway.start(config, collected::addAll)) {
        GatewayEndToEndTest.await(() -> GatewayEndToEndTest.polls(collected, gw + "-ww1") >= 5);
        GatewayEndToEndTest.stopPolling(ww, gateway, gw + "-ww1");
        GatewayEndToEndTest.await(() -> gateway.queue().depth() == 0);
      }
    }
    GatewayEndToEndTest.assertStoredExactly(influx, "wastewater", gw + "-ww1", collected);
  }
}
