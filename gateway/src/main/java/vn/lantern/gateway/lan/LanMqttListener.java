package vn.lantern.gateway.lan;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.mqtt.MqttAuth;
import io.vertx.mqtt.MqttEndpoint;
import io.vertx.mqtt.MqttServer;
import io.vertx.mqtt.MqttServerOptions;
import io.vertx.mqtt.messages.MqttPublishMessage;
import io.vertx.mqtt.messages.codes.MqttPubAckReasonCode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.lantern.common.telemetry.PayloadFormat;
import vn.lantern.common.telemetry.PayloadRejectedException;
import vn.lantern.common.telemetry.Reading;
import vn.lantern.common.telemetry.ReadingValidator;
import vn.lantern.common.telemetry.TelemetryDecoder;
import vn.lantern.common.telemetry.TelemetryLimits;
import vn.lantern.gateway.config.GatewayConfig;
import vn.lantern.gateway.store.NewReading;

/**
 * MQTT server on the site LAN for sensors that reach the gateway directly. A sensor connects with
 * its id and secret from the gateway config and publishes on {@code telemetry} in any payload
 * format the platform accepts (Lantern JSON, SenML JSON/CBOR). A QoS 1 PUBLISH is acknowledged only
 * after its readings are in the durable queue; a payload that does not decode or fails the node's
 * validation (metric names, finite values, timestamps) is refused (MQTT 5 reason code 0x99, on
 * 3.1.1 no PUBACK), counted, and never queued.
 */
public final class LanMqttListener {
  private static final Logger LOG = LoggerFactory.getLogger(LanMqttListener.class);
  private static final int MQTT_5 = 5;

  private final Vertx vertx;
  private final GatewayConfig.Lan config;
  private final Map<String, String> secrets;
  private final Consumer<List<NewReading>> sink;
  private final TelemetryDecoder decoder = new TelemetryDecoder(TelemetryLimits.defaults());
  // the node's own checks, at the edge: a reading it would refuse never takes queue space
  private final ReadingValidator validator = new ReadingValidator(TelemetryLimits.defaults());
  private final MeterRegistry metrics;
  private MqttServer server;

  public LanMqttListener(
      Vertx vertx,
      GatewayConfig.Lan config,
      Consumer<List<NewReading>> sink,
      MeterRegistry metrics) {
    this.vertx = vertx;
    this.config = config;
    this.secrets =
        config.sensors().stream()
            .collect(
                Collectors.toMap(GatewayConfig.LanSensor::id, GatewayConfig.LanSensor::secret));
    this.sink = sink;
    this.metrics = metrics;
  }

  /** Starts listening; the future holds the bound port. */
  public Future<Integer> start() {
    server =
        MqttServer.create(
                vertx,
                new MqttServerOptions()
                    .setHost(config.host())
                    .setPort(config.port())
                    .setTimeoutOnConnect(10))
            .endpointHandler(this::onConnect);
    return server
        .listen()
        .map(
            s -> {
              LOG.info("event=lan_mqtt_listening host={} port={}", config.host(), s.actualPort());
              return s.actualPort();
            });
  }

  public Future<Void> stop() {
    return server == null ? Future.succeededFuture() : server.close();
  }

  private void onConnect(MqttEndpoint client) {
    MqttAuth auth = client.auth();
    String id = auth == null ? null : auth.getUsername();
    String expected = id == null ? null : secrets.get(id);
    if (expected == null || !constantTimeEquals(expected, auth.getPassword())) {
      count("gateway_lan_connect_refused");
      client.reject(
          client.protocolVersion() == MQTT_5
              ? MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USERNAME_OR_PASSWORD
              : MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD);
      return;
    }
    client.publishAutoAck(false);
    client.publishHandler(message -> onPublish(client, id, message));
    client.publishReleaseHandler(client::publishComplete);
    client.exceptionHandler(
        e -> LOG.debug("event=lan_connection_error sensor={} error=\"{}\"", id, e.getMessage()));
    client.accept(false);
  }

  private void onPublish(MqttEndpoint client, String sensor, MqttPublishMessage message) {
    boolean v5 = client.protocolVersion() == MQTT_5;
    if (!"telemetry".equals(message.topicName())) {
      refuse(client, message, v5, MqttPubAckReasonCode.TOPIC_NAME_INVALID, "topic");
      return;
    }
    long receivedAt = System.currentTimeMillis();
    List<NewReading> readings;
    try {
      List<Reading> decoded =
          decoder.decode(message.payload().getBytes(), contentFormat(message, v5), receivedAt);
      validator.validate(decoded, receivedAt);
      readings =
          decoded.stream()
              .map(r -> new NewReading(sensor, r.metric(), r.value(), null, r.timestampMs()))
              .toList();
    } catch (PayloadRejectedException e) {
      LOG.debug("event=lan_payload_rejected sensor={} error=\"{}\"", sensor, e.getMessage());
      refuse(client, message, v5, MqttPubAckReasonCode.PAYLOAD_FORMAT_INVALID, "payload");
      return;
    }
    vertx
        .executeBlocking(
            () -> {
              sink.accept(readings);
              return readings.size();
            })
        .onSuccess(
            n -> {
              count("gateway_lan_readings");
              acknowledge(client, message);
            })
        .onFailure(
            e -> {
              // Not stored: no acknowledgement, so the sensor keeps the message and resends it.
              LOG.warn("event=lan_store_failed sensor={} error=\"{}\"", sensor, e.getMessage());
              count("gateway_lan_store_failures");
            });
  }

  private static PayloadFormat contentFormat(MqttPublishMessage message, boolean v5) {
    if (!v5) {
      return null;
    }
    MqttProperties.MqttProperty<?> type =
        message.properties().getProperty(MqttProperties.CONTENT_TYPE);
    return type == null
        ? null
        : PayloadFormat.fromContentType(String.valueOf(type.value())).orElse(null);
  }

  private static void acknowledge(MqttEndpoint client, MqttPublishMessage message) {
    if (!client.isConnected()) {
      return;
    }
    if (message.qosLevel() == MqttQoS.AT_LEAST_ONCE) {
      client.publishAcknowledge(message.messageId());
    } else if (message.qosLevel() == MqttQoS.EXACTLY_ONCE) {
      client.publishReceived(message.messageId());
    }
  }

  private void refuse(
      MqttEndpoint client,
      MqttPublishMessage message,
      boolean v5,
      MqttPubAckReasonCode code,
      String cause) {
    Counter.builder("gateway_lan_rejected")
        .description("LAN publishes refused")
        .tag("cause", cause)
        .register(metrics)
        .increment();
    if (v5 && message.qosLevel() == MqttQoS.AT_LEAST_ONCE) {
      client.publishAcknowledge(message.messageId(), code, MqttProperties.NO_PROPERTIES);
    }
  }

  private void count(String name) {
    metrics.counter(name).increment();
  }

  private static boolean constantTimeEquals(String expected, String given) {
    return given != null
        && MessageDigest.isEqual(
            expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
  }
}
