package vn.lantern.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.lantern.gateway.config.GatewayConfig;

/**
 * The LAN listener validates at the edge, as the ingest node would: readings the node must refuse
 * (a reserved metric name, a timestamp far in the future) are refused with 0x99 and never queued,
 * so they cannot take queue space or come back as refusals later.
 */
class LanValidationTest {
  private static final int PAYLOAD_FORMAT_INVALID = 0x99;

  @Test
  void invalidReadingsAreRefusedAtTheEdge(@TempDir Path dir) throws Exception {
    String gw = "gw-lan-edge";
    GatewayConfig config =
        TestGateways.config(
            gw,
            dir,
            "tcp://127.0.0.1:9", // no node: nothing may leave the queue anyway
            List.of(),
            new GatewayConfig.Lan(
                true,
                "127.0.0.1",
                0,
                List.of(new GatewayConfig.LanSensor(gw + "-aq", "aq-secret"))),
            0);
    try (Gateway gateway = Gateway.start(config)) {
      MqttAsyncClient sensor =
          new MqttAsyncClient(
              "tcp://127.0.0.1:" + gateway.lanPort(), gw + "-aq", new MemoryPersistence());
      MqttConnectionOptions options = new MqttConnectionOptions();
      options.setUserName(gw + "-aq");
      options.setPassword("aq-secret".getBytes(StandardCharsets.UTF_8));
      sensor.connect(options).waitForCompletion(10_000);
      try {
        long now = System.currentTimeMillis();
        assertEquals(PAYLOAD_FORMAT_INVALID, publish(sensor, "{\"m\":{\"zone\":1}}"));
        assertEquals(
            PAYLOAD_FORMAT_INVALID,
            publish(sensor, "{\"ts\":" + (now + 3_600_000) + ",\"m\":{\"pm25\":1}}"));
        assertEquals(0, publish(sensor, "{\"ts\":" + now + ",\"m\":{\"pm25\":35.2}}"));
      } finally {
        sensor.disconnect().waitForCompletion(10_000);
        sensor.close();
      }
      assertEquals(1, gateway.queue().depth(), "only the valid reading is queued");
    }
  }

  /** Publishes at QoS 1 and returns the PUBACK reason code. */
  private static int publish(MqttAsyncClient client, String payload) throws MqttException {
    MqttMessage message = new MqttMessage(payload.getBytes(StandardCharsets.UTF_8));
    message.setQos(1);
    IMqttToken token;
    try {
      token = client.publish("telemetry", message);
      token.waitForCompletion(10_000);
    } catch (MqttException e) {
      if (e.getReasonCode() >= 0x80) {
        return e.getReasonCode();
      }
      throw e;
    }
    int[] codes = token.getReasonCodes();
    return codes == null || codes.length == 0 ? 0 : codes[0];
  }
}
