package vn.lantern.ioc.push;

import io.micrometer.core.instrument.MeterRegistry;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.lantern.auth.Access;
import vn.lantern.auth.ApiRoutes;
import vn.lantern.auth.Role;
import vn.lantern.common.http.ApiErrors;
import vn.lantern.ioc.IocMeters;
import vn.lantern.rules.notify.SignedWebhook;

/**
 * Pushes each window's KPI snapshot to the provincial IOC: a JSON POST signed like the alert
 * webhooks ({@code X-Lantern-Signature: sha256=HMAC-SHA256(secret, timestamp + "." + body)}, {@code
 * X-Lantern-Timestamp}, and a {@code X-Lantern-Delivery} id that stays the same across retries)
 * and/or a QoS 1 publication on an MQTT topic. Failed deliveries are retried with exponential
 * backoff; after the last attempt the snapshot becomes a dead letter, listed at {@code GET
 * /api/v1/ioc/dead-letters} (admins). Nothing here blocks: the engine only hands the snapshot over.
 */
public final class IocPusher {
  private static final Logger LOG = LoggerFactory.getLogger(IocPusher.class);
  private static final int MAX_IN_FLIGHT = 100;

  private final Vertx vertx;
  private final IocSettings settings;
  private final WebClient http;
  private final MeterRegistry metrics;
  private final Deque<IocDeadLetter> deadLetters = new ArrayDeque<>();
  private final AtomicInteger inFlight = new AtomicInteger();
  private MqttClient mqtt;

  public IocPusher(Vertx vertx, IocSettings settings, MeterRegistry metrics) {
    this.vertx = vertx;
    this.settings = settings;
    this.metrics = metrics;
    this.http =
        WebClient.create(
            vertx,
            new WebClientOptions()
                .setConnectTimeout((int) settings.timeoutMs())
                .setIdleTimeout((int) Math.max(1, settings.timeoutMs() / 1000)));
  }

  /** Mounts the dead letters' listing. */
  public void mount(ApiRoutes api) {
    api.get(
        "/api/v1/ioc/dead-letters",
        Access.role(Role.ADMIN),
        ctx -> {
          JsonArray items = new JsonArray();
          deadLetters().forEach(d -> items.add(d.toJson()));
          ApiErrors.json(ctx, 200, new JsonObject().put("items", items));
        });
  }

  /** Hands a report over for delivery to every configured endpoint. Never blocks. */
  public void push(IocReport report) {
    if (!settings.enabled()) {
      return;
    }
    String body = report.body().encode();
    String delivery = UUID.randomUUID().toString();
    if (!settings.webhookUrl().isEmpty()) {
      deliver("webhook", report.windowEnd(), () -> postWebhook(body, delivery));
    }
    if (!settings.mqttHost().isEmpty()) {
      deliver("mqtt", report.windowEnd(), () -> publishMqtt(body));
    }
  }

  /** The dead letters, oldest first. */
  public synchronized List<IocDeadLetter> deadLetters() {
    return new ArrayList<>(deadLetters);
  }

  private void deliver(String endpoint, long windowEnd, Supplier<Future<Void>> attempt) {
    if (inFlight.incrementAndGet() > MAX_IN_FLIGHT) {
      inFlight.decrementAndGet();
      giveUp(endpoint, windowEnd, 0, "too many deliveries pending");
      return;
    }
    attempt(endpoint, windowEnd, attempt, 1, settings.initialBackoffMs());
  }

  private void attempt(
      String endpoint, long windowEnd, Supplier<Future<Void>> attempt, int n, long backoffMs) {
    attempt
        .get()
        .onSuccess(
            v -> {
              inFlight.decrementAndGet();
              metrics.counter(IocMeters.IOC_DELIVERIES, "endpoint", endpoint).increment();
              LOG.debug(
                  "event=ioc_delivered endpoint={} window_end={} attempt={}",
                  endpoint,
                  windowEnd,
                  n);
            })
        .onFailure(
            e -> {
              metrics.counter(IocMeters.IOC_FAILURES, "endpoint", endpoint).increment();
              if (n >= settings.maxAttempts()) {
                inFlight.decrementAndGet();
                giveUp(endpoint, windowEnd, n, e.getMessage());
                return;
              }
              LOG.info(
                  "event=ioc_retry endpoint={} window_end={} attempt={} backoff_ms={} error=\"{}\"",
                  endpoint,
                  windowEnd,
                  n,
                  backoffMs,
                  e.getMessage());
              vertx.setTimer(
                  backoffMs,
                  id ->
                      attempt(
                          endpoint,
                          windowEnd,
                          attempt,
                          n + 1,
                          Math.min(settings.maxBackoffMs(), backoffMs * 2)));
            });
  }

  private synchronized void giveUp(String endpoint, long windowEnd, int attempts, String error) {
    deadLetters.addLast(
        new IocDeadLetter(endpoint, windowEnd, attempts, error, System.currentTimeMillis()));
    while (deadLetters.size() > settings.deadLetterCapacity()) {
      deadLetters.removeFirst();
    }
    metrics.counter(IocMeters.IOC_DEAD_LETTERS, "endpoint", endpoint).increment();
    LOG.warn(
        "event=ioc_dead_letter endpoint={} window_end={} attempts={} error=\"{}\"",
        endpoint,
        windowEnd,
        attempts,
        error);
  }

  private Future<Void> postWebhook(String body, String delivery) {
    return SignedWebhook.post(
        http,
        settings.webhookUrl(),
        settings.timeoutMs(),
        settings.webhookSecret(),
        body,
        delivery,
        null);
  }

  private Future<Void> publishMqtt(String body) {
    return mqttConnected()
        .compose(
            client ->
                client.publish(
                    settings.mqttTopic(), Buffer.buffer(body), MqttQoS.AT_LEAST_ONCE, false, false))
        .mapEmpty();
  }

  private synchronized Future<MqttClient> mqttConnected() {
    if (mqtt != null && mqtt.isConnected()) {
      return Future.succeededFuture(mqtt);
    }
    if (mqtt != null) {
      mqtt.disconnect();
    }
    MqttClientOptions options = new MqttClientOptions();
    options.setClientId("lantern-ioc-" + UUID.randomUUID());
    options.setConnectTimeout((int) settings.timeoutMs());
    if (!settings.mqttUsername().isEmpty()) {
      options.setUsername(settings.mqttUsername()).setPassword(settings.mqttPassword());
    }
    MqttClient client = MqttClient.create(vertx, options);
    mqtt = client;
    return client.connect(settings.mqttPort(), settings.mqttHost()).map(ack -> client);
  }

  /** Closes the connections; pending retries are dropped. */
  public void close() {
    http.close();
    synchronized (this) {
      if (mqtt != null && mqtt.isConnected()) {
        mqtt.disconnect();
      }
    }
  }
}
