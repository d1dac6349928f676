package vn.lantern.deploy.kafka;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.lantern.common.bus.ZoneCommand;
import vn.lantern.common.telemetry.TelemetryBatch;

/**
 * One member of a consumer group on the readings topic, on its own thread: it polls, decodes the
 * batches (skipping and counting records it cannot decode), hands them to a {@link Handler} and
 * commits the offsets only after the handler has finished with them (at-least-once).
 *
 * <p>A session that fails on any exception is closed and a new one started after a backoff
 * (doubling from {@link #MIN_RESTART_DELAY_MS} to {@link #MAX_RESTART_DELAY_MS}, reset after a
 * clean poll), so the member never dies for good; {@link #health} shows the state meanwhile.
 */
final class GroupConsumer {
  private static final Logger LOG = LoggerFactory.getLogger(GroupConsumer.class);
  private static final long MIN_RESTART_DELAY_MS = 200;
  private static final long MAX_RESTART_DELAY_MS = 30_000;
  private static final int SESSION_TIMEOUT_MS = 10_000;

  /** What the member does with what it reads. Called on the member's thread. */
  interface Handler {
    /**
     * Takes a polled chunk; its offsets are committed when this returns true.
     *
     * @return false to leave the group without committing the chunk (e.g. nobody wants it)
     */
    boolean handle(List<TelemetryBatch> batches) throws InterruptedException;

    /**
     * Takes the commands of a polled chunk ({@link BatchCodec#COMMAND_HEADER}), after its batches;
     * their offsets are committed when this returns. Members that act on no command ignore them.
     */
    default void commands(List<ZoneCommand> commands) throws InterruptedException {}

    /**
     * The group gave this member partitions (before any of their records is handled).
     *
     * @param topicPartitions how many partitions the topic has
     */
    default void assigned(Collection<TopicPartition> partitions, int topicPartitions) {}

    /** The group took partitions from this member (the offsets handled so far are committed). */
    default void revoked(Collection<TopicPartition> partitions) {}
  }

  private final KafkaSettings settings;
  private final String group;
  private final String clientId;
  private final String offsetReset;
  private final Handler handler;
  private final AtomicInteger assignedPartitions = new AtomicInteger();
  private final AtomicInteger healthyPolls = new AtomicInteger();
  private final Counter consumed;
  private final Counter undecodable;
  private final Counter restarts;
  private volatile boolean consumerUp = true;
  private volatile String lastError;
  // records behind the end of the assigned partitions at the last poll; -1 before it
  private volatile long lag = -1;
  private volatile boolean closed;
  private Thread poller;
  private KafkaConsumer<String, byte[]> consumer;

  /**
   * @param group the consumer group
   * @param offsetReset where a new group starts: {@code latest} or {@code earliest}
   * @param meters the names of this group's meters ({@link KafkaMeters})
   */
  GroupConsumer(
      KafkaSettings settings,
      String group,
      String clientId,
      String offsetReset,
      Handler handler,
      MeterRegistry metrics,
      KafkaMeters.ConsumerMeters meters) {
    this.settings = settings;
    this.group = group;
    this.clientId = clientId;
    this.offsetReset = offsetReset;
    this.handler = handler;
    this.consumed = metrics.counter(meters.consumed());
    this.undecodable = metrics.counter(meters.undecodable());
    this.restarts = metrics.counter(meters.restarts());
    metrics.gauge(meters.assignedPartitions(), assignedPartitions);
  }

  /** Joins the group on a new thread (once). */
  synchronized void start() {
    if (poller == null && !closed) {
      poller = new Thread(this::pollUntilClosed, "lantern-kafka-" + clientId);
      poller.setDaemon(true);
      poller.start();
    }
  }

  /** Partitions of the readings topic this member currently owns. */
  int assignedPartitions() {
    return assignedPartitions.get();
  }

  /**
   * The member's state for {@code /health}: {@code UP} once a session polls, {@code DOWN} from a
   * failure until a restarted session polls again, with the restart count, the last error and the
   * {@code lag}: records behind the end of its partitions at the last poll (not counting the chunk
   * being handled).
   */
  JsonObject health() {
    JsonObject health =
        new JsonObject()
            .put("status", consumerUp ? "UP" : "DOWN")
            .put("group", group)
            .put("partitions", assignedPartitions.get())
            .put("restarts", (long) restarts.count());
    if (lag >= 0) {
      health.put("lag", lag);
    }
    if (lastError != null) {
      health.put("lastError", lastError);
    }
    return health;
  }

  /** Whether the member is closing (a handler waiting for something should give up). */
  boolean closing() {
    return closed;
  }

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
      LOG.warn("event=kafka_consumer_restarting group={} delay_ms={}", group, delay);
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
    LOG.error("event=kafka_consumer_failed group={} error=\"{}\"", group, e.toString());
  }

  private KafkaConsumer<String, byte[]> newConsumer() {
    Map<String, Object> config = settings.clientProperties();
    config.putAll(
        Map.of(
            ConsumerConfig.GROUP_ID_CONFIG,
            group,
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
            false,
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
            offsetReset,
            // a member killed without leaving loses its partitions after this
            ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG,
            SESSION_TIMEOUT_MS,
            ConsumerConfig.CLIENT_ID_CONFIG,
            clientId));
    return new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
  }

  /**
   * One consumer session.
   *
   * @return false when the handler wants no more or the member closed: stop for good
   */
  private boolean poll(KafkaConsumer<String, byte[]> session) throws InterruptedException {
    session.subscribe(
        List.of(settings.topic()),
        new ConsumerRebalanceListener() {
          @Override
          public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            assignedPartitions.addAndGet(-partitions.size());
            if (!partitions.isEmpty()) {
              handler.revoked(partitions);
            }
          }

          @Override
          public void onPartitionsLost(Collection<TopicPartition> partitions) {
            onPartitionsRevoked(partitions);
          }

          @Override
          public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            // Resolve the start offsets now, so that everything published once this member
            // reports its partitions is delivered to it.
            partitions.forEach(session::position);
            assignedPartitions.addAndGet(partitions.size());
            LOG.info(
                "event=kafka_partitions_assigned group={} topic={} partitions={}",
                group,
                settings.topic(),
                assignedPartitions.get());
            if (!partitions.isEmpty()) {
              handler.assigned(partitions, session.partitionsFor(settings.topic()).size());
            }
          }
        });
    while (!closed) {
      ConsumerRecords<String, byte[]> records = session.poll(Duration.ofMillis(500));
      consumerUp = true;
      healthyPolls.incrementAndGet();
      lag = lag(session);
      if (records.isEmpty()) {
        continue;
      }
      List<ZoneCommand> commands = new ArrayList<>();
      List<TelemetryBatch> batches = decode(records, commands);
      if (!batches.isEmpty() && !handler.handle(batches)) {
        // uncommitted: the group hands these records to another member or to this one's restart
        return false;
      }
      if (!commands.isEmpty()) {
        handler.commands(commands);
      }
      try {
        session.commitSync();
      } catch (CommitFailedException | RebalanceInProgressException e) {
        // the partitions moved meanwhile: their new owner gets these records again
        LOG.info("event=kafka_commit_skipped group={} reason=\"{}\"", group, e.getMessage());
      }
    }
    return false;
  }

  /** Records behind the end of the assigned partitions, as far as the consumer knows. */
  private static long lag(KafkaConsumer<String, byte[]> session) {
    long behind = 0;
    for (TopicPartition partition : session.assignment()) {
      OptionalLong partitionLag = session.currentLag(partition);
      if (partitionLag.isPresent()) {
        behind += partitionLag.getAsLong();
      }
    }
    return behind;
  }

  /** The batches of a chunk; its commands are added to {@code commands}. */
  private List<TelemetryBatch> decode(
      ConsumerRecords<String, byte[]> records, List<ZoneCommand> commands) {
    List<TelemetryBatch> batches = new ArrayList<>(records.count());
    for (ConsumerRecord<String, byte[]> record : records) {
      try {
        ZoneCommand command = BatchCodec.command(record);
        if (command != null) {
          commands.add(command);
          continue;
        }
        batches.add(BatchCodec.decode(record.value()));
      } catch (IOException | RuntimeException e) {
        // e.g. a tombstone (null value) or a record of a foreign producer: skipped, not fatal
        undecodable.increment();
        LOG.warn(
            "event=kafka_record_undecodable group={} partition={} offset={} error=\"{}\"",
            group,
            record.partition(),
            record.offset(),
            e.toString());
      }
    }
    consumed.increment(batches.size());
    return batches;
  }

  /** Leaves the group (without committing a chunk still being handled). Blocks. */
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
