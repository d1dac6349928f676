package vn.lantern.deploy.kafka;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.lantern.common.bus.TelemetryBus;
import vn.lantern.common.telemetry.TelemetryBatch;

/**
 * The scaled-out telemetry bus: Apache Kafka, one record per batch on the readings topic, keyed by
 * zone so that every zone's readings stay in order on one partition and, in the {@code
 * lantern-rules} consumer group, on one rules node.
 *
 * <p>Publishing hands the record to a dedicated thread, because {@link KafkaProducer#send} blocks
 * while it fetches topic metadata; the producer waits for all in-sync replicas and is idempotent. A
 * batch the bus cannot take is already in InfluxDB: it is counted and dropped, never retried into
 * an unbounded queue. Consuming runs on its own thread; each polled chunk is delivered to every
 * subscriber on the Vert.x context it subscribed from, and offsets are committed only after that
 * delivery (at-least-once).
 */
public final class KafkaTelemetryBus implements TelemetryBus {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaTelemetryBus.class);
  private static final int PUBLISH_QUEUE = 10_000;

  private final Vertx vertx;
  private final KafkaSettings settings;
  // created by the sender thread on the first publish: a rules-only node never opens one
  private KafkaProducer<String, byte[]> producer;
  private final ExecutorService sender;
  private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();
  private final AtomicInteger assignedPartitions = new AtomicInteger();
  private final Counter published;
  private final Counter publishFailed;
  private final Counter consumed;
  private final Counter undecodable;
  private static final long MIN_RESTART_DELAY_MS = 200;
  private static final long MAX_RESTART_DELAY_MS = 30_000;
  private final Counter restarts;
  private final AtomicInteger healthyPolls = new AtomicInteger();
  private volatile boolean consumerUp = true;
  private volatile String lastError;
  private volatile boolean closed;
  private volatile Thread poller;
  private KafkaConsumer<String, byte[]> consumer;

  private record Subscriber(Context context, Consumer<TelemetryBatch> consumer) {}

  public KafkaTelemetryBus(Vertx vertx, KafkaSettings settings, MeterRegistry metrics) {
    if (settings.bootstrap().isBlank()) {
      throw new IllegalArgumentException("LANTERN_KAFKA_BOOTSTRAP is required for the Kafka bus");
    }
    settings.security().clientProperties(); // bad security settings fail the start, not a publish
    this.vertx = vertx;
    this.settings = settings;
    this.sender =
        new ThreadPoolExecutor(
            1,
            1,
            0,
            TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(PUBLISH_QUEUE),
            r -> new Thread(r, "lantern-kafka-send"));
    this.published = metrics.counter("lantern.bus.kafka.published");
    this.publishFailed = metrics.counter("lantern.bus.kafka.publish.failed");
    this.consumed = metrics.counter("lantern.bus.kafka.consumed");
    this.undecodable = metrics.counter("lantern.bus.kafka.undecodable");
    this.restarts = metrics.counter("lantern.bus.kafka.consumer.restarts");
    metrics.gauge("lantern.bus.kafka.assigned.partitions", assignedPartitions);
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
              10_000,
              ProducerConfig.CLIENT_ID_CONFIG,
              "lantern-ingest"));
      producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
    }
    return producer;
  }

  @Override
  public void publish(TelemetryBatch batch) {
    try {
      sender.execute(() -> send(batch));
    } catch (RejectedExecutionException e) {
      publishFailed.increment();
      LOG.warn("event=bus_publish_dropped device={} reason=queue_full", batch.device().id());
    }
  }

  private void send(TelemetryBatch batch) {
    try {
      producer()
          .send(
              new ProducerRecord<>(
                  settings.topic(), batch.device().zone(), BatchCodec.encode(batch)),
              (metadata, error) -> {
                if (error == null) {
                  published.increment();
                } else {
                  publishFailed.increment();
                  LOG.warn(
                      "event=bus_publish_failed device={} error=\"{}\"",
                      batch.device().id(),
                      error.toString());
                }
              });
    } catch (RuntimeException e) {
      // e.g. metadata not available within max.block.ms: the broker is unreachable
      publishFailed.increment();
      LOG.warn("event=bus_publish_failed device={} error=\"{}\"", batch.device().id(), e);
    }
  }

  /**
   * Delivers every batch of the topic to {@code consumer} on the caller's Vert.x context. The first
   * subscription joins the consumer group; once every subscription is closed, this node leaves it
   * at the next record, without committing it.
   */
  @Override
  public synchronized Subscription subscribe(Consumer<TelemetryBatch> consumer) {
    Subscriber subscriber = new Subscriber(vertx.getOrCreateContext(), consumer);
    subscribers.add(subscriber);
    if (poller == null && !closed) {
      startPolling();
    }
    return () -> subscribers.remove(subscriber);
  }

  /** Partitions of the readings topic this node currently owns in the consumer group. */
  public int assignedPartitions() {
    return assignedPartitions.get();
  }

  private void startPolling() {
    poller = new Thread(this::pollUntilClosed, "lantern-kafka-poll");
    poller.setDaemon(true);
    poller.start();
  }

  /**
   * Runs consumer sessions until the bus closes or has no subscriber left. A session that fails on
   * any exception is closed and a new one started after a backoff (doubling from {@link
   * #MIN_RESTART_DELAY_MS} to {@link #MAX_RESTART_DELAY_MS}, reset after a clean poll), so the
   * consumer never dies for good; {@link #health} shows the state meanwhile.
   */
  private void pollUntilClosed() {
    long delay = MIN_RESTART_DELAY_MS;
    while (!closed) {
      KafkaConsumer<String, byte[]> session = newConsumer();
      synchronized (this) {
        consumer = session;
      }
      try {
        if (!poll(session)) {
          return;
        }
      } catch (WakeupException e) {
        if (closed) {
          return;
        }
        failed(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException | Error e) {
        failed(e);
      } finally {
        assignedPartitions.set(0);
        session.close(Duration.ofSeconds(5));
      }
      if (healthyPolls.getAndSet(0) > 0) {
        delay = MIN_RESTART_DELAY_MS;
      }
      restarts.increment();
      LOG.warn("event=bus_consumer_restarting delay_ms={}", delay);
      try {
        Thread.sleep(delay);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      delay = Math.min(MAX_RESTART_DELAY_MS, delay * 2);
    }
  }

  private void failed(Throwable e) {
    consumerUp = false;
    lastError = e.toString();
    LOG.error("event=bus_consumer_failed error=\"{}\"", e.toString());
  }

  private KafkaConsumer<String, byte[]> newConsumer() {
    Map<String, Object> config = settings.clientProperties();
    config.putAll(
        Map.of(
            ConsumerConfig.GROUP_ID_CONFIG,
            settings.group(),
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
            false,
            // a new group starts at the live edge: old readings are history, not alerts
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
            "latest",
            ConsumerConfig.CLIENT_ID_CONFIG,
            "lantern-rules"));
    return new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
  }

  /**
   * One consumer session.
   *
   * @return false when there is no subscriber left or the bus closed: stop for good
   */
  private boolean poll(KafkaConsumer<String, byte[]> session) throws InterruptedException {
    session.subscribe(
        List.of(settings.topic()),
        new ConsumerRebalanceListener() {
          @Override
          public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            assignedPartitions.addAndGet(-partitions.size());
          }

          @Override
          public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            // Resolve the start offsets now, so that everything published once this node
            // reports its partitions is delivered to it.
            partitions.forEach(session::position);
            assignedPartitions.addAndGet(partitions.size());
            LOG.info(
                "event=bus_partitions_assigned topic={} partitions={}",
                settings.topic(),
                assignedPartitions.get());
          }
        });
    while (!closed) {
      ConsumerRecords<String, byte[]> records = session.poll(Duration.ofMillis(500));
      consumerUp = true;
      healthyPolls.incrementAndGet();
      if (records.isEmpty()) {
        continue;
      }
      if (!deliver(decode(records))) {
        // uncommitted: the group hands these records to another member or to this node's restart
        return false;
      }
      try {
        session.commitSync();
      } catch (CommitFailedException | RebalanceInProgressException e) {
        // the partitions moved meanwhile: their new owner gets these records again
        LOG.info("event=bus_commit_skipped reason=\"{}\"", e.getMessage());
      }
    }
    return false;
  }

  /**
   * The consumer's state for {@code /health}: {@code UP} once a session polls, {@code DOWN} from a
   * failure until a restarted session polls again, with the restart count and the last error.
   */
  public JsonObject health() {
    JsonObject health =
        new JsonObject()
            .put("status", poller == null || consumerUp ? "UP" : "DOWN")
            .put("partitions", assignedPartitions.get())
            .put("restarts", (long) restarts.count());
    if (lastError != null) {
      health.put("lastError", lastError);
    }
    return health;
  }

  private List<TelemetryBatch> decode(ConsumerRecords<String, byte[]> records) {
    List<TelemetryBatch> batches = new ArrayList<>(records.count());
    for (ConsumerRecord<String, byte[]> record : records) {
      try {
        batches.add(BatchCodec.decode(record.value()));
      } catch (IOException | RuntimeException e) {
        // e.g. a tombstone (null value) or a record of a foreign producer: skipped, not fatal
        undecodable.increment();
        LOG.warn(
            "event=bus_record_undecodable partition={} offset={} error=\"{}\"",
            record.partition(),
            record.offset(),
            e.toString());
      }
    }
    consumed.increment(batches.size());
    return batches;
  }

  /**
   * Hands the batches to each subscriber on its context and waits until all have taken them.
   *
   * @return false when there is no subscriber left or the bus closed first
   */
  private boolean deliver(List<TelemetryBatch> batches) throws InterruptedException {
    if (subscribers.isEmpty()) {
      return false;
    }
    List<CompletableFuture<Void>> done = new ArrayList<>();
    for (Subscriber subscriber : subscribers) {
      CompletableFuture<Void> delivered = new CompletableFuture<>();
      done.add(delivered);
      subscriber
          .context()
          .runOnContext(
              v -> {
                try {
                  batches.forEach(subscriber.consumer());
                } catch (RuntimeException e) {
                  LOG.warn("event=bus_subscriber_failed error=\"{}\"", e.toString());
                } finally {
                  delivered.complete(null);
                }
              });
    }
    CompletableFuture<Void> all = CompletableFuture.allOf(done.toArray(CompletableFuture[]::new));
    while (!closed) {
      try {
        all.get(1, TimeUnit.SECONDS);
        return true;
      } catch (java.util.concurrent.TimeoutException e) {
        // a busy event loop: keep waiting unless the bus is closing
      } catch (java.util.concurrent.ExecutionException e) {
        throw new IllegalStateException(e.getCause());
      }
    }
    return false;
  }

  /** Sends what is queued, leaves the consumer group and closes both clients. Blocks. */
  public void close() {
    closed = true;
    sender.shutdown();
    try {
      sender.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (producer != null) {
      producer.close(Duration.ofSeconds(5));
    }
    Thread thread;
    synchronized (this) {
      thread = poller;
    }
    if (thread != null) {
      synchronized (this) {
        if (consumer != null) {
          consumer.wakeup();
        }
      }
      try {
        thread.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
