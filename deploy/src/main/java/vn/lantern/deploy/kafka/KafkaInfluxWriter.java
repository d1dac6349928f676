package vn.lantern.deploy.kafka;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.lantern.common.telemetry.TelemetryBatch;
import vn.lantern.ingest.store.TelemetryStore;

/**
 * A member of the InfluxDB writer group: drains the readings topic into InfluxDB and commits the
 * offsets of a chunk only once InfluxDB has acknowledged all of it.
 *
 * <p>Writes are idempotent: a point's identity is (measurement, tags, timestamp), and the timestamp
 * was fixed by the ingest node before the record was sent. So a chunk read again after a rebalance,
 * a crash before the commit or a producer retry overwrites itself and is never counted twice.
 *
 * <p>A new group starts at the beginning of the topic: every record on it was acknowledged to a
 * device and must be stored. While InfluxDB is down the store retries and this member waits; a
 * batch InfluxDB refuses for its data (a field type conflict) can never be stored and is counted
 * and skipped, as on a single node.
 */
public final class KafkaInfluxWriter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaInfluxWriter.class);
  private static final long BUFFER_FULL_RETRY_MS = 200;

  private final TelemetryStore store;
  private final GroupConsumer group;
  private final Counter refused;
  // when the chunk being written started waiting for InfluxDB; 0 while writes go through
  private volatile long waitingSince;

  public KafkaInfluxWriter(KafkaSettings settings, TelemetryStore store, MeterRegistry metrics) {
    if (settings.bootstrap().isBlank()) {
      throw new IllegalArgumentException(
          "LANTERN_KAFKA_BOOTSTRAP is required for the writer group");
    }
    this.store = store;
    this.refused = metrics.counter(KafkaMeters.WRITER_REFUSED);
    this.group =
        new GroupConsumer(
            settings,
            settings.writerGroup(),
            "lantern-influx-writer",
            "earliest",
            this::write,
            metrics,
            KafkaMeters.WRITER_CONSUMER);
  }

  /** Joins the writer group. */
  public KafkaInfluxWriter start() {
    group.start();
    return this;
  }

  /** Partitions this member currently drains. */
  public int assignedPartitions() {
    return group.assignedPartitions();
  }

  /**
   * The member's state for {@code /health}: the group member's (see {@link GroupConsumer#health})
   * and, while a write has been waiting for InfluxDB for over a second, since when ({@code
   * waitingForInfluxdbSince}, epoch milliseconds).
   */
  public JsonObject health() {
    JsonObject health = group.health();
    long since = waitingSince;
    if (since > 0) {
      health.put("waitingForInfluxdbSince", since);
    }
    return health;
  }

  /** Writes a chunk and returns once InfluxDB has all of it (or the member closes: no commit). */
  private boolean write(List<TelemetryBatch> batches) throws InterruptedException {
    List<TelemetryBatch> pending = batches;
    while (!pending.isEmpty()) {
      List<Future<Void>> writes = new ArrayList<>(pending.size());
      for (TelemetryBatch batch : pending) {
        writes.add(store.write(batch));
      }
      List<TelemetryBatch> again = new ArrayList<>();
      for (int i = 0; i < writes.size(); i++) {
        Throwable failure = awaitWrite(writes.get(i));
        if (failure == null) {
          continue;
        }
        if (group.closing()) {
          return false;
        }
        if (failure instanceof TelemetryStore.RejectedException) {
          refused.increment();
          LOG.warn(
              "event=influx_write_refused device={} error=\"{}\"",
              pending.get(i).device().id(),
              failure.getMessage());
        } else {
          again.add(pending.get(i)); // the store's buffer is full: wait for room
        }
      }
      if (!again.isEmpty()) {
        Thread.sleep(BUFFER_FULL_RETRY_MS);
      }
      pending = again;
    }
    return true;
  }

  /** Waits for one write; null when it succeeded, else why it failed. */
  private Throwable awaitWrite(Future<Void> write) throws InterruptedException {
    var done = write.toCompletionStage().toCompletableFuture();
    long started = System.currentTimeMillis();
    while (true) {
      try {
        done.get(1, TimeUnit.SECONDS);
        waitingSince = 0;
        return null;
      } catch (ExecutionException e) {
        return e.getCause();
      } catch (TimeoutException e) {
        if (waitingSince == 0) {
          waitingSince = started; // InfluxDB is down or slow: the store retries
        }
        if (group.closing()) {
          return e; // InfluxDB is still down: leave the chunk uncommitted
        }
      }
    }
  }

  /** Leaves the group; a chunk still being written stays uncommitted and is written again. */
  @Override
  public void close() {
    group.close();
  }
}
