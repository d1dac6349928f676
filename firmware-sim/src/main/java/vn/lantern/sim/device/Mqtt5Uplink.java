package vn.lantern.sim.device;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import vn.lantern.common.telemetry.PayloadFormat;
import vn.lantern.common.tls.ClientTls;

/**
 * MQTT 5 with Paho v5: like {@link Mqtt3Uplink}, plus the payload's media type as the PUBLISH
 * content type, and PUBACK reason codes: ≥ 0x80 means the node refused the reading for good.
 */
public final class Mqtt5Uplink implements Uplink {
  private final MqttAsyncClient client;
  private final MqttConnectionOptions options;
  private final MqttProperties properties;
  private volatile Runnable lost = () -> {};

  /**
   * @param tls the device's TLS settings for an {@code ssl://} endpoint, or {@code null}
   */
  public Mqtt5Uplink(
      String serverUri, String deviceId, String secret, PayloadFormat format, ClientTls tls) {
    try {
      client = new MqttAsyncClient(serverUri, deviceId, new MemoryPersistence());
    } catch (MqttException e) {
      throw new IllegalArgumentException("cannot create MQTT 5 client for " + serverUri, e);
    }
    options = new MqttConnectionOptions();
    options.setUserName(deviceId);
    javax.net.ssl.SSLSocketFactory sockets = DeviceTls.mqttSocketFactory(serverUri, tls);
    if (sockets != null) {
      options.setSocketFactory(sockets);
    }
    if (tls == null || !tls.hasClientCertificate()) {
      // with a certificate the device is authenticated by it; a secret next to it is refused
      options.setPassword(secret.getBytes(StandardCharsets.UTF_8));
    }
    options.setCleanStart(true);
    options.setAutomaticReconnect(false);
    options.setConnectionTimeout(10);
    options.setKeepAliveInterval(30);
    properties = new MqttProperties();
    properties.setContentType(format.contentType());
    client.setCallback(
        new MqttCallback() {
          @Override
          public void disconnected(MqttDisconnectResponse response) {
            lost.run();
          }

          @Override
          public void mqttErrorOccurred(MqttException exception) {}

          @Override
          public void messageArrived(String topic, MqttMessage message) {}

          @Override
          public void deliveryComplete(IMqttToken token) {}

          @Override
          public void connectComplete(boolean reconnect, String serverUri) {}

          @Override
          public void authPacketArrived(int reasonCode, MqttProperties properties) {}
        });
  }

  @Override
  public CompletableFuture<Void> connect() {
    CompletableFuture<Void> done = new CompletableFuture<>();
    try {
      client.connect(options, null, listener(done));
    } catch (MqttException e) {
      done.completeExceptionally(e);
    }
    return done;
  }

  @Override
  public CompletableFuture<Void> send(byte[] payload) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    MqttMessage message = new MqttMessage(payload);
    message.setQos(1);
    message.setProperties(properties);
    try {
      client.publish("telemetry", message, null, listener(done));
    } catch (MqttException e) {
      done.completeExceptionally(e);
    }
    return done;
  }

  @Override
  public boolean connected() {
    return client.isConnected();
  }

  @Override
  public void onConnectionLost(Runnable action) {
    this.lost = action;
  }

  @Override
  public void disconnect() {
    try {
      if (client.isConnected()) {
        client.disconnectForcibly(0, 1000, false);
      }
    } catch (MqttException e) {
      // Already disconnected: nothing to drop.
    }
  }

  @Override
  public void close() {
    disconnect();
    try {
      client.close(true);
    } catch (MqttException e) {
      // Already closed: nothing left to release.
    }
  }

  private static MqttActionListener listener(CompletableFuture<Void> done) {
    return new MqttActionListener() {
      @Override
      public void onSuccess(IMqttToken token) {
        int[] codes = token.getReasonCodes();
        if (codes != null) {
          for (int code : codes) {
            if (code >= 0x80) {
              done.completeExceptionally(
                  new RejectedException(String.format("reason code 0x%02x", code)));
              return;
            }
          }
        }
        done.complete(null);
      }

      @Override
      public void onFailure(IMqttToken token, Throwable e) {
        done.completeExceptionally(e == null ? new MqttException(0) : e);
      }
    };
  }
}
