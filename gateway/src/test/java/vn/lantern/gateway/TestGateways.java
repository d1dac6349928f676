package vn.lantern.gateway;

import java.nio.file.Path;
import java.util.List;
import vn.lantern.gateway.config.GatewayConfig;

/** Gateway configs for tests: everything on 127.0.0.1 and free ports, quick polls and retries. */
final class TestGateways {
  static final String SECRET_SUFFIX = "-secret-0123456789";

  private TestGateways() {}

  static GatewayConfig config(
      String id,
      Path dataDir,
      String uplinkUrl,
      List<GatewayConfig.ModbusDevice> devices,
      GatewayConfig.Lan lan,
      long maxRows) {
    return GatewayConfig.builder()
        .id(id)
        .secret(id + SECRET_SUFFIX)
        .dataDir(dataDir.toString())
        .http(new GatewayConfig.Http("127.0.0.1", 0))
        .uplink(
            GatewayConfig.Uplink.builder()
                .url(uplinkUrl)
                .batchSize(50)
                .maxInFlight(4)
                .maxMessagesPerSecond(200)
                .minBackoffMs(100)
                .maxBackoffMs(1000)
                .ackTimeoutMs(3000)
                .build())
        .queue(new GatewayConfig.Queue(1L << 30, maxRows, 10_000))
        .modbus(devices)
        .lan(lan == null ? new GatewayConfig.Lan(false, "127.0.0.1", 0, List.of()) : lan)
        .build();
  }

  static GatewayConfig.ModbusDevice device(String id, String endpoint, int unit, String map) {
    return new GatewayConfig.ModbusDevice(id, endpoint, unit, map, 200, 500);
  }
}
