package vn.lantern.sim.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.vertx.mqtt.MqttConnectionException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Failed connects are logged by reason, a node's connection limit named, a storm aggregated. */
class ConnectFailureLogTest {
  private final AtomicLong now = new AtomicLong(1_000_000);
  private final ConnectFailureLog log = new ConnectFailureLog(now::get);

  @Test
  void aRetryStormIsOneLineAWindowPerReasonCountingTheFailures() {
    Throwable quota = new org.eclipse.paho.mqttv5.common.MqttException(0x97);
    assertEquals(1, log.failed("dev-0", quota), "the first failure is logged");
    for (int i = 1; i < 300; i++) {
      assertEquals(0, log.failed("dev-" + i, quota), "held back within the window");
    }
    assertEquals(
        1,
        log.failed("dev-0", new org.eclipse.paho.client.mqttv3.MqttException(4)),
        "another reason has its own line");
    now.addAndGet(10_000);
    assertEquals(300, log.failed("dev-300", quota), "this one and the 299 held back");
  }

  @Test
  void aRefusalByAConnectionLimitIsNamedWithItsSetting() {
    for (Throwable refused :
        new Throwable[] {
          new CompletionException(new org.eclipse.paho.mqttv5.common.MqttException(0x97)),
          new org.eclipse.paho.client.mqttv3.MqttException(3),
          new MqttConnectionException(MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE)
        }) {
      ConnectFailureLog.Reason reason = ConnectFailureLog.Reason.of(refused);
      assertTrue(
          reason.detail().contains("connections.maxMqttPerAddress"), refused + " -> " + reason);
    }
    assertEquals(
        "bad_credentials",
        ConnectFailureLog.Reason.of(new org.eclipse.paho.mqttv5.common.MqttException(0x86)).name());
  }
}
