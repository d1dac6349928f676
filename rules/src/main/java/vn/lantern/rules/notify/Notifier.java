package vn.lantern.rules.notify;

import io.micrometer.core.instrument.MeterRegistry;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.lantern.rules.RulesMeters;
import vn.lantern.rules.alert.AlertEvent;
import vn.lantern.rules.rule.Channel;
import vn.lantern.rules.rule.Rule;

/**
 * Sends alert transitions to a rule's channels: signed webhooks and MQTT topics. Each delivery is
 * asynchronous and independent: a slow or failing endpoint is retried with exponential backoff
 * without delaying evaluation or other deliveries, and becomes a dead letter after its last
 * attempt.
 */
public final class Notifier {
  private static final Logger LOG = LoggerFactory.getLogger(Notifier.class);

  private final Vertx vertx;
  private final NotifySettings settings;
  private final WebClient web;
  private final WebhookTargets targets;
  private final Function<DeadLetter, Future<Void>> deadLetters;
  private final MeterRegistry metrics;
  private Future<MqttClient> mqtt;

  public Notifier(
      Vertx vertx,
      NotifySettings settings,
      Function<DeadLetter, Future<Void>> deadLetters,
      MeterRegistry metrics) {
    this.vertx = vertx;
    this.settings = settings;
    this.deadLetters = deadLetters;
    this.metrics = metrics;
    this.targets = new WebhookTargets(vertx, settings.allowedHosts());
    this.web =
        WebClient.create(
            vertx,
            new WebClientOptions()
                .setConnectTimeout((int) settings.timeoutMs())
                .setIdleTimeout((int) Math.max(1, settings.timeoutMs() / 1000))
                .setUserAgent("lantern-rules")
                // Requests go to checked addresses: name the receiver for TLS explicitly.
                .setForceSni(true));
  }

  /** The JSON body sent for a transition. */
  public static JsonObject payload(AlertEvent event, Rule rule) {
    return new JsonObject()
        .put("event", event.kind())
        .put("at", event.at())
        .put("actor", event.actor())
        .put("note", event.note())
        .put("rule", new JsonObject().put("id", rule.id()).put("name", rule.name()))
        .put("alert", event.alert().toJson());
  }

  /** Starts delivering a transition to every channel of its rule; returns at once. */
  public void notify(AlertEvent event, Rule rule) {
    List<Channel> channels = rule.channels();
    if (channels.isEmpty()) {
      return;
    }
    String body = payload(event, rule).encode();
    for (Channel channel : channels) {
      attempt(event, channel, body, UUID.randomUUID().toString(), 1);
    }
  }

  private void attempt(AlertEvent event, Channel channel, String body, String deliveryId, int n) {
    Future<Void> sent =
        channel.type().equals("webhook")
            ? webhook(channel, body, deliveryId, event.kind())
            : publish(channel, body);
    sent.onSuccess(
            v -> {
              metrics.counter(RulesMeters.NOTIFICATIONS, "channel", channel.type()).increment();
              LOG.info(
                  "event=notification_sent alert={} channel={} attempt={}",
                  event.alert().id(),
                  channel.type(),
                  n);
            })
        .onFailure(
            e -> {
              metrics
                  .counter(RulesMeters.NOTIFICATION_FAILURES, "channel", channel.type())
                  .increment();
              if (n >= settings.maxAttempts() || e instanceof WebhookTargets.Refused) {
                deadLetter(event, channel, body, n, e.getMessage());
                return;
              }
              long delay =
                  Math.min(
                      settings.maxBackoffMs(), settings.initialBackoffMs() << Math.min(n - 1, 20));
              LOG.warn(
                  "event=notification_retry alert={} channel={} attempt={} delay_ms={} error=\"{}\"",
                  event.alert().id(),
                  channel.type(),
                  n,
                  delay,
                  e.getMessage());
              vertx.setTimer(delay, id -> attempt(event, channel, body, deliveryId, n + 1));
            });
  }

  private Future<Void> webhook(Channel channel, String body, String deliveryId, String kind) {
    return targets
        .check(channel.target())
        .compose(
            target ->
                SignedWebhook.post(
                    web, target, settings.timeoutMs(), channel.secret(), body, deliveryId, kind));
  }

  private Future<Void> publish(Channel channel, String body) {
    if (settings.mqttHost() == null || settings.mqttHost().isEmpty()) {
      return Future.failedFuture("no MQTT broker configured (LANTERN_NOTIFY_MQTT_HOST)");
    }
    return mqttClient()
        .compose(
            client ->
                client.publish(
                    channel.target(), Buffer.buffer(body), MqttQoS.AT_LEAST_ONCE, false, false))
        .mapEmpty();
  }

  /**
   * One shared connection; a publish during the connect waits for it instead of opening another.
   */
  private synchronized Future<MqttClient> mqttClient() {
    if (mqtt != null && (!mqtt.isComplete() || (mqtt.succeeded() && mqtt.result().isConnected()))) {
      return mqtt;
    }
    MqttClientOptions options = new MqttClientOptions().setAutoKeepAlive(true);
    if (!settings.mqttUsername().isEmpty()) {
      options.setUsername(settings.mqttUsername()).setPassword(settings.mqttPassword());
    }
    MqttClient client = MqttClient.create(vertx, options);
    mqtt = client.connect(settings.mqttPort(), settings.mqttHost()).map(ack -> client);
    return mqtt;
  }

  private void deadLetter(
      AlertEvent event, Channel channel, String body, int attempts, String error) {
    DeadLetter letter =
        new DeadLetter(
            UUID.randomUUID().toString(),
            event.alert().id(),
            event.alert().ruleId(),
            event.alert().zone(),
            channel.type(),
            channel.target(),
            body,
            attempts,
            error,
            System.currentTimeMillis());
    metrics.counter(RulesMeters.NOTIFICATION_DEAD_LETTERS, "channel", channel.type()).increment();
    LOG.warn(
        "event=notification_dead_letter alert={} channel={} target={} attempts={} error=\"{}\"",
        letter.alertId(),
        channel.type(),
        channel.target(),
        attempts,
        error);
    deadLetters.apply(letter);
  }

  /** Closes the clients. */
  public void close() {
    web.close();
    if (mqtt != null && mqtt.succeeded() && mqtt.result().isConnected()) {
      mqtt.result().disconnect();
    }
  }
}
