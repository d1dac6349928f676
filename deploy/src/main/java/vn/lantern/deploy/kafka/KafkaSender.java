package vn.lantern.deploy.kafka;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.lantern.common.bus.ZoneCommand;
import vn.lantern.common.bus.ZoneEvent;
import vn.lantern.common.telemetry.TelemetryBatch;

/**
 * The producer side of the Kafka bus: one record per batch, keyed by zone, acknowledged by all
 * in-sync replicas ({@code acks=all}) of an idempotent producer.
 *
 * <p>A send's future completes only once the broker has acknowledged the record. Failures are an
 * outage, never a refusal: the record is sent again with backoff and the future waits, like the
 * InfluxDB writer's acknowledgements do. What waits is bounded by {@code maxBufferedReadings};
 * beyond it a send fails at once, so the client is told to retry later.
 *
 * <p>Sends run on one dedicated thread because {@link KafkaProducer#send} blocks while it fetches
 * topic metadata. While the broker is unreachable only one send at a time probes it; the others
 * wait for the probe's backoff instead of each blocking the thread for {@code max.block.ms}.
 */
final class KafkaSender implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaSender.class);
  private static final long MIN_RETRY_MS = 100;
  private static final long MAX_RETRY_MS = 5_000;

  /** Cluster events waiting for the broker beyond which new ones are dropped. */
  private static final long MAX_WAITING_EVENTS = 10_000;

  /** How long a cluster event is sent again before it is dropped: a later one replaces it. */
  private static final long EVENT_RETRY_MS = 30_000;

  private final KafkaSettings settings;
  private final long maxBufferedReadings;
  private final ScheduledThreadPoolExecutor thread;
  private final AtomicLong bufferedReadings = new AtomicLong();
  private final Set<Pending> inFlight = ConcurrentHashMap.newKeySet();
  private final Counter published;
  private final Counter failedAttempts;
  private final Counter refused;
  private final AtomicLong waitingEvents = new AtomicLong();
  private final Counter eventsPublished;
  private final Counter eventsDropped;
  // confined to the sender thread, read by close() after that thread has ended
  private KafkaProducer<String, byte[]> producer;
  private long unreachableUntil;
  private long probeDelay = MIN_RETRY_MS;
  private volatile boolean closed;
  private volatile String failure;

  /** A record waiting for the broker's acknowledgement, with its caller's context. */
  private static final class Pending {
    final ProducerRecord<String, byte[]> record;
    final int readings;
    // the batch's device or the command's kind, for the log
    final String source;
    final Promise<Void> promise = Promise.promise();
    final Context context;
    long retryDelay = MIN_RETRY_MS;
    // when a failing send is given up; never for readings and commands
    long giveUpAt = Long.MAX_VALUE;

    Pending(ProducerRecord<String, byte[]> record, int readings, String source, Context context) {
      this.record = record;
      this.readings = readings;
      this.source = source;
      this.context = context;
    }
  }

  /** Thrown to a caller when too many readings already wait for the broker. */
  static final class BufferFullException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BufferFullException() {
      super("Kafka send buffer full", null, false, false);
    }
  }

  KafkaSender(KafkaSettings settings, long maxBufferedReadings, MeterRegistry metrics) {
    this.settings = settings;
    this.maxBufferedReadings = maxBufferedReadings;
    this.thread = new ScheduledThreadPoolExecutor(1, r -> new Thread(r, "lantern-kafka-send"));
    thread.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    this.published = metrics.counter(KafkaMeters.PUBLISHED);
    this.failedAttempts = metrics.counter(KafkaMeters.PUBLISH_FAILED);
    this.refused = metrics.counter(KafkaMeters.PUBLISH_REFUSED);
    this.eventsPublished = metrics.counter(KafkaMeters.EVENTS_PUBLISHED);
    this.eventsDropped = metrics.counter(KafkaMeters.EVENTS_DROPPED);
    Gauge.builder(KafkaMeters.BUFFERED_READINGS, bufferedReadings, AtomicLong::get)
        .description("readings waiting for the Kafka broker's acknowledgement")
        .register(metrics);
  }

  /**
   * Sends a batch; the future completes (on the caller's Vert.x context, if any) once all in-sync
   * replicas have it, and fails at once with {@link BufferFullException} when too much waits.
   */
  Future<Void> send(TelemetryBatch batch) {
    int n = batch.readings().size();
    if (bufferedReadings.addAndGet(n) > maxBufferedReadings) {
      bufferedReadings.addAndGet(-n);
      refused.increment();
      return Future.failedFuture(new BufferFullException());
    }
    return send(
        new Pending(
            new ProducerRecord<>(settings.topic(), batch.device().zone(), BatchCodec.encode(batch)),
            n,
            batch.device().id(),
            Vertx.currentContext()));
  }

  /**
   * Sends a command on the readings topic, keyed by its zone and marked by the {@link
   * BatchCodec#COMMAND_HEADER} header; the future completes like a batch's. Commands hold no
   * readings, so they are never refused for a full buffer.
   */
  Future<Void> send(ZoneCommand command) {
    ProducerRecord<String, byte[]> record =
        new ProducerRecord<>(
            settings.topic(), command.zone(), command.body().toBuffer().getBytes());
    record
        .headers()
        .add(BatchCodec.COMMAND_HEADER, command.kind().getBytes(StandardCharsets.UTF_8));
    return send(new Pending(record, 0, "command:" + command.kind(), Vertx.currentContext()));
  }

  /**
   * Sends a cluster event on the events topic, best effort: dropped (and counted) when too many
   * already wait for the broker, or when it could not be sent within {@link #EVENT_RETRY_MS}, since
   * it is a view that a later one replaces, not a record.
   */
  void send(ZoneEvent event, String origin) {
    if (waitingEvents.incrementAndGet() > MAX_WAITING_EVENTS) {
      waitingEvents.decrementAndGet();
      eventsDropped.increment();
      return;
    }
    Pending pending =
        new Pending(
            BatchCodec.eventRecord(settings.eventsTopic(), event, origin),
            0,
            "event:" + event.kind(),
            null);
    pending.giveUpAt = System.currentTimeMillis() + EVENT_RETRY_MS;
    send(pending)
        .onComplete(
            sent -> {
              waitingEvents.decrementAndGet();
              if (sent.succeeded()) {
                eventsPublished.increment();
              } else {
                eventsDropped.increment();
              }
            });
  }

  private Future<Void> send(Pending pending) {
    inFlight.add(pending);
    try {
      thread.execute(() -> attempt(pending));
    } catch (RejectedExecutionException e) {
      finish(pending, new IllegalStateException("node shutting down"));
    }
    return pending.promise.future();
  }

  /** Why sends are failing and being retried; null while the last send succeeded. */
  String failure() {
    return failure;
  }

  private KafkaProducer<String, byte[]> producer() {
    if (producer == null) {
      Map<String, Object> config = settings.clientProperties();
      config.putAll(
          Map.of(
              ProducerConfig.ACKS_CONFIG,
              "all",
              ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
              true,
              ProducerConfig.LINGER_MS_CONFIG,
              5,
              ProducerConfig.MAX_BLOCK_MS_CONFIG,
              5_000,
              // a record the broker has not taken within this is sent again by attempt()
              ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG,
              10_000,
              ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
              30_000,
              ProducerConfig.CLIENT_ID_CONFIG,
              "lantern-ingest"));
      producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
    }
    return producer;
  }

  private void attempt(Pending pending) {
    if (closed) {
      return; // close() fails what is left
    }
    long wait = unreachableUntil - System.currentTimeMillis();
    if (wait > 0) {
      schedule(pending, wait);
      return;
    }
    try {
      producer()
          .send(
              pending.record,
              (metadata, error) -> {
                if (error == null) {
                  if (pending.readings > 0) {
                    published.increment(); // batches, not commands
                  }
                  recovered();
                  finish(pending, null);
                } else {
                  retry(pending, error);
                }
              });
      probeDelay = MIN_RETRY_MS;
    } catch (RuntimeException e) {
      // e.g. no topic metadata within max.block.ms: the broker is unreachable
      unreachableUntil = System.currentTimeMillis() + probeDelay;
      probeDelay = Math.min(MAX_RETRY_MS, probeDelay * 2);
      retry(pending, e);
    }
  }

  private void recovered() {
    if (failure != null) {
      failure = null;
      LOG.info("event=bus_publish_recovered waiting_readings={}", bufferedReadings.get());
    }
  }

  private void retry(Pending pending, Exception error) {
    failedAttempts.increment();
    if (System.currentTimeMillis() > pending.giveUpAt) {
      finish(pending, error);
      return;
    }
    String reason = error.toString();
    if (!reason.equals(failure)) {
      // one line per change of cause, not one per waiting record
      LOG.warn(
          "event=bus_publish_failed source={} waiting_readings={} error=\"{}\"",
          pending.source,
          bufferedReadings.get(),
          reason);
    }
    failure = reason;
    long delay = pending.retryDelay;
    pending.retryDelay = Math.min(MAX_RETRY_MS, delay * 2);
    schedule(pending, delay);
  }

  private void schedule(Pending pending, long delayMs) {
    try {
      thread.schedule(() -> attempt(pending), delayMs, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      // closing: close() fails what is left
    }
  }

  private void finish(Pending pending, Throwable error) {
    if (!inFlight.remove(pending)) {
      return;
    }
    bufferedReadings.addAndGet(-pending.readings);
    if (pending.context == null) {
      complete(pending, error);
    } else {
      pending.context.runOnContext(v -> complete(pending, error));
    }
  }

  private static void complete(Pending pending, Throwable error) {
    if (error == null) {
      pending.promise.tryComplete();
    } else {
      pending.promise.tryFail(error);
    }
  }

  /**
   * Lets the producer deliver what it holds (up to five seconds), then fails what is still waiting:
   * those messages were never acknowledged, so their clients send them again. Blocks.
   */
  @Override
  public void close() {
    closed = true;
    thread.shutdown();
    try {
      thread.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (producer != null) {
      producer.close(Duration.ofSeconds(5));
    }
    for (Pending pending : List.copyOf(inFlight)) {
      finish(pending, new IllegalStateException("node shutting down"));
    }
  }
}
