package vn.lantern.sim.load;

import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import vn.lantern.common.tls.ClientTls;

/**
 * One bench device's MQTT connection (Vert.x MQTT client). Everything runs on the connection's
 * event loop, so its state needs no locks. Each reading has its own timestamp ({@code base + seq}
 * ms) so none overwrites another in InfluxDB, and fields {@code seq} and {@code run} so the check
 * afterwards counts exactly this run's readings.
 */
final class Connection {
  private final int index;
  private final Context context;
  private final LoadStats stats;
  private final BenchOptions options;
  private final long runId;
  private final long baseTimestampMs;
  private final Map<Integer, Long> pending = new HashMap<>();
  private final Set<Integer> earlyAcks = new HashSet<>();
  private final ClientTls tls;
  private MqttClient client;
  private long seq;
  private boolean publishing;
  private long acked;
  private int unassigned;

  Connection(
      int index, Vertx vertx, LoadStats stats, BenchOptions options, long runId, long baseTsMs) {
    this.index = index;
    // A context per connection from a non-Vert.x thread: contexts are spread over the event loops.
    this.context = vertx.getOrCreateContext();
    this.stats = stats;
    this.options = options;
    this.runId = runId;
    this.baseTimestampMs = baseTsMs;
    this.tls = options.tls() == null ? null : options.tls().forDevice(BenchDevices.id(index));
  }

  /** Connects with the device's credentials. */
  Future<Void> connect(String host, int port) {
    return Future.<Void>future(
        promise ->
            context.runOnContext(
                v -> {
                  MqttClientOptions opts =
                      new MqttClientOptions()
                          .setClientId(BenchDevices.id(index))
                          .setUsername(BenchDevices.id(index))
                          .setCleanSession(true)
                          .setKeepAliveInterval(60)
                          .setMaxInflightQueue(options.window() + 1);
                  // No acknowledgement timeout: Vert.x would arm and cancel a timer per publish,
                  // 13 % of the generator's CPU samples with 1,000 connections at 40,000/s, and
                  // keep thousands in its scheduled-task queue (docs/benchmarks.md). A publish
                  // never answered still shows, as "unanswered" in the report.
                  opts.setConnectTimeout(30_000);
                  if (tls != null && tls.hasClientCertificate()) {
                    // authenticated by its certificate; a secret next to it is refused
                    opts.setKeyCertOptions(
                        new PemKeyCertOptions()
                            .setCertPath(tls.certFile().toString())
                            .setKeyPath(tls.keyFile().toString()));
                  } else {
                    opts.setPassword(BenchDevices.secret(index));
                  }
                  if (options.mqttUri().startsWith("ssl://")) {
                    opts.setSsl(true).setHostnameVerificationAlgorithm("HTTPS");
                    if (tls != null && tls.caFile() != null) {
                      opts.setTrustOptions(
                          new PemTrustOptions().addCertPath(tls.caFile().toString()));
                    }
                  }
                  client = MqttClient.create(context.owner(), opts);
                  client.publishCompletionHandler(this::acknowledged);
                  client.closeHandler(
                      x -> {
                        if (publishing) {
                          stats.disconnects.increment();
                        }
                      });
                  client
                      .connect(port, host)
                      .onSuccess(ack -> promise.complete())
                      .onFailure(promise::fail);
                }));
  }

  /**
   * Starts publishing: on {@code schedule}'s period after {@code firstDelayMs}, or as fast as
   * acknowledged when the schedule is null.
   */
  void start(long firstDelayMs, PublishSchedule schedule) {
    context.runOnContext(
        v -> {
          publishing = true;
          if (schedule != null) {
            context
                .owner()
                .setPeriodic(
                    firstDelayMs,
                    schedule.periodMs(),
                    id -> {
                      if (!publishing) {
                        context.owner().cancelTimer(id);
                      } else if (!send()) {
                        stats.behind.increment();
                      }
                    });
          } else {
            for (int i = 0; i < options.window(); i++) {
              send();
            }
          }
        });
  }

  /** Stops publishing; outstanding acknowledgements still count. */
  void stop() {
    context.runOnContext(v -> publishing = false);
  }

  /** Publishes awaiting acknowledgement (read from the connection's event loop). */
  Future<Integer> inFlight() {
    return Future.future(p -> context.runOnContext(v -> p.complete(pending.size() + unassigned)));
  }

  /** Readings acknowledged on this connection. */
  Future<Long> acked() {
    return Future.future(p -> context.runOnContext(v -> p.complete(acked)));
  }

  Future<Void> disconnect() {
    return Future.future(
        p ->
            context.runOnContext(
                v -> {
                  if (client != null && client.isConnected()) {
                    client.disconnect().onComplete(x -> p.complete());
                  } else {
                    p.complete();
                  }
                }));
  }

  private boolean send() {
    if (!publishing || !client.isConnected() || pending.size() + unassigned >= options.window()) {
      return false;
    }
    long n = ++seq;
    Buffer payload =
        Buffer.buffer(
            "{\"ts\":"
                + (baseTimestampMs + n)
                + ",\"m\":{\"seq\":"
                + n
                + ",\"run\":"
                + runId
                + "}}");
    long sentAt = System.nanoTime();
    MqttQoS qos = MqttQoS.valueOf(options.qos());
    stats.sent.increment();
    if (qos == MqttQoS.AT_MOST_ONCE) {
      client
          .publish("telemetry", payload, qos, false, false)
          .onFailure(
              e -> {
                stats.errors.increment();
                stats.lastError = e.getMessage();
              });
      return true;
    }
    unassigned++; // holds a window slot until the packet id is known
    client
        .publish("telemetry", payload, qos, false, false)
        .onSuccess(
            id -> {
              unassigned--;
              if (earlyAcks.remove(id)) {
                record(sentAt);
              } else {
                pending.put(id, sentAt);
              }
            })
        .onFailure(
            e -> {
              unassigned--;
              stats.errors.increment();
              stats.lastError = e.getMessage();
            });
    return true;
  }

  private void acknowledged(int packetId) {
    Long sentAt = pending.remove(packetId);
    if (sentAt == null) {
      earlyAcks.add(packetId);
      return;
    }
    record(sentAt);
  }

  private void record(long sentAt) {
    stats.latency.recordValue(Math.max(1, (System.nanoTime() - sentAt) / 1000));
    stats.acked.increment();
    acked++;
    if (publishing && options.rate() == null) {
      send();
    }
  }
}
