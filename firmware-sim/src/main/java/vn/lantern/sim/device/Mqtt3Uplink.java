package vn.lantern.sim.device;

import java.util.concurrent.CompletableFuture;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import vn.lantern.common.tls.ClientTls;

/**
 * MQTT 3.1.1 with Paho v3: username = device id, password = secret (or a device certificate over
 * {@code ssl://}), QoS 1 to topic {@code telemetry}. The session is clean: unacknowledged readings
 * stay in the device's own queue and are published again after a reconnect (at-least-once; the node
 * stores them idempotently).
 */
public final class Mqtt3Uplink implements Uplink {
  private final MqttAsyncClient client;
  private final MqttConnectOptions options;
  private volatile Runnable lost = () -> {};

  /**
   * @param tls the device's TLS settings for an {@code ssl://} endpoint, or {@code null}
   */
  public Mqtt3Uplink(
      String serverUri, String deviceId, String secret, int maxInflight, ClientTls tls) {
    try {
      client = new MqttAsyncClient(serverUri, deviceId, new MemoryPersistence());
    } catch (MqttException e) {
      throw new IllegalArgumentException("cannot create MQTT client for " + serverUri, e);
    }
    options = new MqttConnectOptions();
    options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
    options.setUserName(deviceId);
    javax.net.ssl.SSLSocketFactory sockets = DeviceTls.mqttSocketFactory(serverUri, tls);
    if (sockets != null) {
      options.setSocketFactory(sockets);
    }
    if (tls == null || !tls.hasClientCertificate()) {
      // with a certificate the device is authenticated by it; a secret next to it is refused
      options.setPassword(secret.toCharArray());
    }
    options.setCleanSession(true);
    options.setAutomaticReconnect(false);
    options.setConnectionTimeout(10);
    options.setKeepAliveInterval(30);
    options.setMaxInflight(maxInflight);
    client.setCallback(
        new MqttCallback() {
          @Override
          public void connectionLost(Throwable cause) {
            lost.run();
          }

          @Override
          public void messageArrived(String topic, MqttMessage message) {}

          @Override
          public void deliveryComplete(IMqttDeliveryToken token) {}
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
    try {
      client.publish("telemetry", payload, 1, false, null, listener(done));
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
        client.disconnectForcibly(0, 1000);
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

  private static IMqttActionListener listener(CompletableFuture<Void> done) {
    return new IMqttActionListener() {
      @Override
      public void onSuccess(IMqttToken token) {
        done.complete(null);
      }

      @Override
      public void onFailure(IMqttToken token, Throwable e) {
        done.completeExceptionally(e == null ? new MqttException(0) : e);
      }
    };
  }
}
