package vn.lantern.ingest;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/** Paho MQTT 3.1.1 and 5 clients connected to a test node, and publishing helpers. */
public final class MqttTestClients {
  /** How long a test waits for an acknowledgement that must come. */
  public static final int ACK_TIMEOUT_MS = 20_000;

  private MqttTestClients() {}

  /** A connected MQTT 3.1.1 client with a clean session. */
  public static MqttClient v3(String uri, String username, String secret) throws MqttException {
    MqttClient client = new MqttClient(uri, clientId(), new MemoryPersistence());
    client.setTimeToWait(ACK_TIMEOUT_MS);
    client.connect(v3Options(username, secret));
    return client;
  }

  public static MqttConnectOptions v3Options(String username, String secret) {
    MqttConnectOptions options = new MqttConnectOptions();
    options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
    options.setCleanSession(true);
    options.setAutomaticReconnect(false);
    options.setConnectionTimeout(ACK_TIMEOUT_MS / 1000);
    options.setUserName(username);
    options.setPassword(secret.toCharArray());
    return options;
  }

  /** A connected MQTT 5 client with a clean start. */
  public static MqttAsyncClient v5(String uri, String username, String secret)
      throws org.eclipse.paho.mqttv5.common.MqttException {
    MqttAsyncClient client =
        new MqttAsyncClient(
            uri, clientId(), new org.eclipse.paho.mqttv5.client.persist.MemoryPersistence());
    try {
      client.connect(v5Options(username, secret)).waitForCompletion(ACK_TIMEOUT_MS);
    } catch (org.eclipse.paho.mqttv5.common.MqttException e) {
      client.close(true);
      throw e;
    }
    return client;
  }

  public static MqttConnectionOptions v5Options(String username, String secret) {
    MqttConnectionOptions options = new MqttConnectionOptions();
    options.setCleanStart(true);
    options.setAutomaticReconnect(false);
    options.setConnectionTimeout(ACK_TIMEOUT_MS / 1000);
    options.setUserName(username);
    options.setPassword(secret.getBytes(StandardCharsets.UTF_8));
    return options;
  }

  /** Publishes at QoS 1 and waits for the PUBACK (the node sends it once the point is durable). */
  public static void publish(MqttClient client, String topic, String payload) throws MqttException {
    publish(client, topic, payload.getBytes(StandardCharsets.UTF_8));
  }

  public static void publish(MqttClient client, String topic, byte[] payload) throws MqttException {
    org.eclipse.paho.client.mqttv3.MqttMessage message =
        new org.eclipse.paho.client.mqttv3.MqttMessage(payload);
    message.setQos(1);
    client.publish(topic, message);
  }

  /**
   * Publishes at QoS 1 and returns the PUBACK reason code (0 = success). Paho reports a failure
   * code either on the token or as an exception, depending on the code; both end up here.
   */
  public static int publish(MqttAsyncClient client, String topic, byte[] payload)
      throws org.eclipse.paho.mqttv5.common.MqttException {
    return publish(client, topic, payload, null);
  }

  /** Like {@link #publish(MqttAsyncClient, String, byte[])} with an MQTT 5 content type. */
  public static int publish(
      MqttAsyncClient client, String topic, byte[] payload, String contentType)
      throws org.eclipse.paho.mqttv5.common.MqttException {
    MqttMessage message = new MqttMessage(payload);
    message.setQos(1);
    if (contentType != null) {
      MqttProperties properties = new MqttProperties();
      properties.setContentType(contentType);
      message.setProperties(properties);
    }
    IMqttToken token;
    try {
      token = client.publish(topic, message);
      token.waitForCompletion(ACK_TIMEOUT_MS);
    } catch (org.eclipse.paho.mqttv5.common.MqttException e) {
      if (e.getReasonCode() >= 0x80 && e.getReasonCode() <= 0xFF) {
        return e.getReasonCode();
      }
      throw e;
    }
    int[] codes = token.getReasonCodes();
    return codes == null || codes.length == 0 ? 0 : codes[0];
  }

  public static int publish(MqttAsyncClient client, String topic, String payload)
      throws org.eclipse.paho.mqttv5.common.MqttException {
    return publish(client, topic, payload.getBytes(StandardCharsets.UTF_8));
  }

  /** A Lantern JSON message: one timestamp, several metrics. */
  public static String lanternJson(long ts, String metricsJson) {
    return "{\"ts\":" + ts + ",\"m\":" + metricsJson + "}";
  }

  /** Disconnects and closes clients, ignoring those already gone. */
  public static void closeAll(Object... clients) {
    for (Object client : clients) {
      try {
        if (client instanceof MqttClient v3) {
          if (v3.isConnected()) {
            v3.disconnect(0);
          }
          v3.close(true);
        } else if (client instanceof MqttAsyncClient v5) {
          if (v5.isConnected()) {
            v5.disconnect(0).waitForCompletion(ACK_TIMEOUT_MS);
          }
          v5.close(true);
        }
      } catch (MqttException | org.eclipse.paho.mqttv5.common.MqttException e) {
        // already disconnected: nothing left to release
      }
    }
  }

  private static String clientId() {
    return "t-" + UUID.randomUUID().toString().substring(0, 8);
  }
}
