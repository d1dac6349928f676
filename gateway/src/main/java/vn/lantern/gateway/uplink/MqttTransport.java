package vn.lantern.gateway.uplink;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.function.Consumer;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import vn.lantern.gateway.config.GatewayConfig;

/**
 * MQTT 5 over Paho: QoS 1 on {@code telemetry/{deviceId}}, username = gateway id, password = its
 * secret, clean start, content type {@code application/senml+json}; TLS with an {@code ssl://} URL.
 * Paho's own persistence stays in memory: the gateway's queue is the durable copy.
 */
public final class MqttTransport implements UplinkTransport {
  private static final String CONTENT_TYPE = "application/senml+json";

  private final GatewayConfig config;
  private MqttAsyncClient client;

  public MqttTransport(GatewayConfig config) {
    this.config = config;
  }

  @Override
  public synchronized void connect() throws MqttException {
    close();
    client =
        new MqttAsyncClient(
            config.uplink().url(),
            config.id() + "-" + UUID.randomUUID().toString().substring(0, 8),
            new MemoryPersistence());
    MqttConnectionOptions options = new MqttConnectionOptions();
    options.setCleanStart(true);
    options.setAutomaticReconnect(false);
    options.setKeepAliveInterval(30);
    options.setConnectionTimeout(Math.max(1, config.uplink().ackTimeoutMs() / 1000));
    options.setReceiveMaximum(Math.max(1, config.uplink().maxInFlight()));
    options.setUserName(config.id());
    javax.net.ssl.SSLSocketFactory tls = UplinkTls.socketFactory(config.uplink());
    if (tls != null) {
      options.setSocketFactory(tls);
    }
    if (!UplinkTls.hasClientCertificate(config.uplink())) {
      // with a certificate the gateway is authenticated by it; a secret next to it is refused
      options.setPassword(config.secret().getBytes(StandardCharsets.UTF_8));
    }
    try {
      client.connect(options).waitForCompletion(config.uplink().ackTimeoutMs());
    } catch (MqttException e) {
      close();
      throw e;
    }
  }

  @Override
  public synchronized boolean isConnected() {
    return client != null && client.isConnected();
  }

  @Override
  public void send(String deviceId, byte[] senmlJson, Consumer<Delivery> done) {
    MqttAsyncClient current;
    synchronized (this) {
      current = client;
    }
    if (current == null) {
      done.accept(Delivery.retry(-1, "not connected"));
      return;
    }
    MqttMessage message = new MqttMessage(senmlJson);
    message.setQos(1);
    MqttProperties properties = new MqttProperties();
    properties.setContentType(CONTENT_TYPE);
    message.setProperties(properties);
    try {
      current.publish(
          "telemetry/" + deviceId,
          message,
          null,
          new MqttActionListener() {
            @Override
            public void onSuccess(IMqttToken token) {
              int[] codes = token.getReasonCodes();
              done.accept(pubAck(codes == null || codes.length == 0 ? 0 : codes[0], ""));
            }

            @Override
            public void onFailure(IMqttToken token, Throwable error) {
              // Paho reports some negative PUBACKs as failures carrying the reason code.
              int code =
                  error instanceof MqttException e
                          && e.getReasonCode() >= 0x80
                          && e.getReasonCode() <= 0xFF
                      ? e.getReasonCode()
                      : -1;
              done.accept(pubAck(code, error == null ? "" : String.valueOf(error.getMessage())));
            }
          });
    } catch (MqttException e) {
      done.accept(Delivery.retry(-1, e.getMessage()));
    }
  }

  /** Maps a PUBACK reason code; -1 means no PUBACK at all. */
  static Delivery pubAck(int code, String error) {
    String detail = code < 0 ? error : "reason code 0x" + Integer.toHexString(code) + " " + error;
    if (code >= 0 && code < 0x80) {
      return Delivery.acked(code);
    }
    // What the same message would get again: not authorized, bad topic, too large, bad payload.
    if (code == 0x87 || code == 0x90 || code == 0x95 || code == 0x97 || code == 0x99) {
      return Delivery.refused(code, detail);
    }
    return Delivery.retry(code, detail);
  }

  @Override
  public synchronized void close() {
    if (client == null) {
      return;
    }
    try {
      if (client.isConnected()) {
        client.disconnectForcibly(0, 1000, false);
      }
    } catch (MqttException ignored) {
      // already gone
    }
    try {
      client.close(true);
    } catch (MqttException ignored) {
      // already closed
    }
    client = null;
  }
}
