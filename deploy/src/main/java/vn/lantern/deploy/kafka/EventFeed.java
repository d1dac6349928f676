package vn.lantern.deploy.kafka;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.lantern.common.bus.ZoneEvent;

/**
 * Reads the cluster-wide events topic on its own thread: every partition, by manual assignment
 * rather than in a consumer group, because every rules node needs every event; from the topic's end
 * as the feed starts, because events are live views (what came before is in InfluxDB and the shared
 * store, and the next window's events repeat every current value). Events this node published are
 * skipped: it showed them when it published them. Each event goes to the handlers of its kind on
 * their Vert.x contexts, without waiting for them. A failed session starts again after a backoff.
 */
final class EventFeed {
  private static final Logger LOG = LoggerFactory.getLogger(EventFeed.class);
  private static final long MIN_RESTART_DELAY_MS = 200;
  private static final long MAX_RESTART_DELAY_MS = 30_000;
  private static final long TOPIC_WAIT_MS = 500;

  /**
   * How often the feed looks for partitions added to the topic; the consumer's copy of the topic's
   * metadata is at most {@link #METADATA_MAX_AGE_MS} old, so it follows them within both.
   */
  private static final long PARTITION_CHECK_MS = 5_000;

  private static final int METADATA_MAX_AGE_MS = 10_000;

  private record Handler(String kind, Context context, Consumer<ZoneEvent> handler) {}

  private final KafkaSettings settings;
  private final String origin;
  private final List<Handler> handlers = new CopyOnWriteArrayList<>();
  private final Counter received;
  private volatile boolean closed;
  // partitions followed, 0 while waiting for the topic or restarting
  private volatile int following;
  private volatile String lastError;
  private Thread poller;
  private KafkaConsumer<String, byte[]> consumer;

  /**
   * @param origin this node's id in the events' origin header
   */
  EventFeed(KafkaSettings settings, String origin, MeterRegistry metrics) {
    this.settings = settings;
    this.origin = origin;
    this.received = metrics.counter(KafkaMeters.EVENTS_RECEIVED);
  }

  /** Registers a handler of other nodes' events of {@code kind}, called on {@code context}. */
  void on(String kind, Context context, Consumer<ZoneEvent> handler) {
    handlers.add(new Handler(kind, context, handler));
  }

  /**
   * The feed's state for {@code /health}: {@code UP} while it follows the topic's partitions,
   * {@code DOWN} before (waiting for the topic) and while a failed session restarts, with the last
   * error; {@code OFF} on a node that reads no events (an ingest node).
   */
  synchronized JsonObject health() {
    JsonObject health =
        new JsonObject()
            .put("status", poller == null ? "OFF" : following > 0 ? "UP" : "DOWN")
            .put("topic", settings.eventsTopic())
            .put("partitions", following);
    if (lastError != null) {
      health.put("lastError", lastError);
    }
    return health;
  }

  /** Starts reading on a new thread (once). */
  synchronized void start() {
    if (poller == null && !closed) {
      poller = new Thread(this::readUntilClosed, "lantern-kafka-events");
      poller.setDaemon(true);
      poller.start();
    }
  }

  private void readUntilClosed() {
    long delay = MIN_RESTART_DELAY_MS;
    while (!closed) {
      KafkaConsumer<String, byte[]> session = newConsumer();
      synchronized (this) {
        consumer = session;
      }
      try {
        read(session);
      } catch (WakeupException e) {
        if (closed) {
          return;
        }
        failed(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        failed(e);
      } finally {
        following = 0;
        session.close(Duration.ofSeconds(5));
      }
      if (closed) {
        return;
      }
      try {
        Thread.sleep(delay);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      delay = Math.min(MAX_RESTART_DELAY_MS, delay * 2);
    }
  }

  private void failed(Exception e) {
    lastError = e.toString();
    LOG.warn("event=kafka_events_failed error=\"{}\"", e.toString());
  }

  private void read(KafkaConsumer<String, byte[]> session) throws InterruptedException {
    List<TopicPartition> partitions = partitions(session);
    session.assign(partitions);
    session.seekToEnd(partitions);
    partitions.forEach(session::position); // from here on, whatever is published is read
    following = partitions.size();
    LOG.info(
        "event=kafka_events_following topic={} partitions={}",
        settings.eventsTopic(),
        partitions.size());
    long nextCheck = System.currentTimeMillis() + PARTITION_CHECK_MS;
    while (!closed) {
      for (ConsumerRecord<String, byte[]> record : session.poll(Duration.ofMillis(500))) {
        deliver(record);
      }
      if (System.currentTimeMillis() >= nextCheck) {
        partitions = followAdded(session, partitions);
        nextCheck = System.currentTimeMillis() + PARTITION_CHECK_MS;
      }
    }
  }

  /**
   * Follows the partitions added to the topic since the feed started reading it, from their
   * beginning: whatever was published to them came after it started. The others keep their
   * positions.
   *
   * @return the partitions followed now
   */
  private List<TopicPartition> followAdded(
      KafkaConsumer<String, byte[]> session, List<TopicPartition> followed) {
    List<PartitionInfo> infos = session.partitionsFor(settings.eventsTopic());
    if (infos == null || infos.size() <= followed.size()) {
      return followed;
    }
    List<TopicPartition> all =
        infos.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
    List<TopicPartition> added = all.stream().filter(p -> !followed.contains(p)).toList();
    session.assign(all);
    session.seekToBeginning(added);
    following = all.size();
    LOG.info(
        "event=kafka_events_partitions_added topic={} partitions={} added={}",
        settings.eventsTopic(),
        all.size(),
        added.size());
    return all;
  }

  /** The topic's partitions, once it exists (the first event published creates it). */
  private List<TopicPartition> partitions(KafkaConsumer<String, byte[]> session)
      throws InterruptedException {
    while (!closed) {
      List<PartitionInfo> infos = session.partitionsFor(settings.eventsTopic());
      if (infos != null && !infos.isEmpty()) {
        return infos.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
      }
      Thread.sleep(TOPIC_WAIT_MS);
    }
    return List.of();
  }

  private void deliver(ConsumerRecord<String, byte[]> record) {
    if (origin.equals(BatchCodec.origin(record))) {
      return;
    }
    ZoneEvent event;
    try {
      event = BatchCodec.event(record);
    } catch (RuntimeException e) {
      LOG.warn(
          "event=kafka_event_undecodable partition={} offset={} error=\"{}\"",
          record.partition(),
          record.offset(),
          e.toString());
      return;
    }
    received.increment();
    for (Handler handler : handlers) {
      if (handler.kind().equals(event.kind())) {
        handler.context().runOnContext(v -> handle(handler, event));
      }
    }
  }

  private static void handle(Handler handler, ZoneEvent event) {
    try {
      handler.handler().accept(event);
    } catch (RuntimeException e) {
      LOG.warn(
          "event=kafka_event_handler_failed kind={} zone={} error=\"{}\"",
          event.kind(),
          event.zone(),
          e.toString());
    }
  }

  private KafkaConsumer<String, byte[]> newConsumer() {
    Map<String, Object> config = settings.clientProperties();
    config.putAll(
        Map.of(
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
            false,
            ConsumerConfig.CLIENT_ID_CONFIG,
            "lantern-events-" + origin,
            ConsumerConfig.METADATA_MAX_AGE_CONFIG,
            METADATA_MAX_AGE_MS));
    return new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
  }

  /** Stops reading. Blocks up to ten seconds. */
  void close() {
    closed = true;
    Thread thread;
    KafkaConsumer<String, byte[]> session;
    synchronized (this) {
      thread = poller;
      session = consumer;
    }
    ConsumerThreads.stop(thread, session);
  }
}
