package vn.lantern.ingest.store;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.influxdb.InfluxDB;
import org.influxdb.InfluxDBException;
import org.influxdb.dto.Query;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.lantern.common.influx.InfluxClients;
import vn.lantern.common.influx.InfluxLineWriter;
import vn.lantern.common.influx.InfluxSettings;
import vn.lantern.common.telemetry.TelemetryBatch;
import vn.lantern.ingest.IngestMeters;

/**
 * Writes telemetry to InfluxDB by group commit and tells each caller when its readings are durable.
 *
 * <p>A few writer threads ({@code influx.writesInFlight}) take from one queue. An idle writer
 * starts a write as soon as something is pending; whatever arrives while writes are in flight
 * gathers in the queue and goes out, up to {@code batchSize} readings, with the next write. So an
 * idle node acknowledges after about one InfluxDB round trip, and a busy one writes large batches.
 *
 * <p>A caller's future completes only once InfluxDB has acknowledged the write holding its
 * readings. Only a write InfluxDB refuses for the data itself (a field type conflict, a line it
 * cannot parse, points outside the retention policy, a partial write) is a refusal, and then only
 * the offending caller's batch is refused. Everything else (wrong credentials after a password
 * rotation, 5xx, timeouts, network errors) is an outage: the write is retried with backoff until it
 * succeeds, acknowledgements wait, and {@link #writeFailure()} says why for health checks.
 *
 * <p>Points are identified by (measurement, tags, timestamp), so a redelivered message overwrites
 * itself: at-least-once delivery stores every reading exactly once.
 */
public final class TelemetryStore implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TelemetryStore.class);
  private static final Pattern DATABASE_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_-]{0,63}");
  private static final int INITIAL_BUFFER_BYTES = 64 * 1024;

  private final InfluxSettings settings;
  private final InfluxClients shared;
  private final InfluxDB influx;
  private final InfluxLineWriter lineWriter;
  private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
  private final AtomicLong bufferedReadings = new AtomicLong();
  private final AtomicInteger influxUp = new AtomicInteger();
  private final List<Thread> writers = new ArrayList<>();
  private volatile boolean running = true;
  private volatile boolean databaseReady;
  private volatile String writeFailure;

  private final Counter pointsWritten;
  private final Counter readingsWritten;
  private final Counter retryableFailures;
  private final Counter rejectedBatches;
  private final Timer writeLatency;
  private final DistributionSummary batchPoints;

  /** A batch waiting to be written, with the promise to complete on its caller's context. */
  private record Pending(TelemetryBatch batch, Promise<Void> promise, Context context) {}

  /** Thrown to a caller whose batch was refused by InfluxDB as invalid. */
  public static final class RejectedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    RejectedException(String message) {
      super(message, null, false, false);
    }
  }

  /** Thrown to a caller when the buffer is full: the readings were not accepted. */
  public static final class UnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UnavailableException(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * A store writing from its own writer threads: telemetry through an {@link InfluxLineWriter}
   * (line protocol posted as bytes, see there why not through influxdb-java), the database's
   * creation and pings through the node's shared InfluxDB client.
   */
  public TelemetryStore(InfluxSettings settings, MeterRegistry metrics) {
    if (!DATABASE_NAME.matcher(settings.database()).matches()) {
      throw new IllegalArgumentException(
          "influx.database must match " + DATABASE_NAME.pattern() + ": " + settings.database());
    }
    if (settings.writesInFlight() < 1) {
      throw new IllegalArgumentException(
          "influx.writesInFlight must be at least 1: " + settings.writesInFlight());
    }
    this.settings = settings;
    this.shared = InfluxClients.acquire(settings);
    this.influx = shared.client();
    this.lineWriter = new InfluxLineWriter(settings);

    pointsWritten = metrics.counter(IngestMeters.STORE_POINTS_WRITTEN);
    readingsWritten = metrics.counter(IngestMeters.STORE_READINGS_WRITTEN);
    retryableFailures = metrics.counter(IngestMeters.STORE_WRITE_FAILURES, "kind", "retryable");
    rejectedBatches = metrics.counter(IngestMeters.STORE_WRITE_FAILURES, "kind", "rejected");
    writeLatency =
        Timer.builder(IngestMeters.STORE_WRITE_DURATION)
            .description("time of one batched InfluxDB write")
            .publishPercentileHistogram()
            .register(metrics);
    batchPoints =
        DistributionSummary.builder(IngestMeters.STORE_BATCH_POINTS)
            .description("points per InfluxDB write")
            .register(metrics);
    Gauge.builder(IngestMeters.STORE_BUFFERED_READINGS, bufferedReadings, AtomicLong::get)
        .description("readings waiting to be written")
        .register(metrics);
    Gauge.builder(IngestMeters.STORE_INFLUX_UP, influxUp, AtomicInteger::get)
        .description("1 when the last InfluxDB write or ping succeeded")
        .register(metrics);

    for (int i = 0; i < settings.writesInFlight(); i++) {
      Thread writer = new Thread(this::writeLoop, "lantern-influx-writer-" + i);
      writer.setDaemon(true);
      writers.add(writer);
      writer.start();
    }
  }

  /**
   * Queues a batch for writing. Call on a Vert.x context: the future completes on that context once
   * the readings are durable in InfluxDB. It fails with {@link UnavailableException} when the
   * buffer is full, and with {@link RejectedException} when the batch can never be stored.
   */
  public Future<Void> write(TelemetryBatch batch) {
    String unrepresentable = LineProtocol.unrepresentable(batch.device());
    if (unrepresentable != null) {
      rejectedBatches.increment();
      return Future.failedFuture(new RejectedException(unrepresentable));
    }
    int n = batch.readings().size();
    if (bufferedReadings.addAndGet(n) > settings.maxBufferedReadings()) {
      bufferedReadings.addAndGet(-n);
      return Future.failedFuture(new UnavailableException("write buffer full"));
    }
    Context context = Vertx.currentContext();
    Promise<Void> promise = Promise.promise();
    queue.add(new Pending(batch, promise, context));
    return promise.future();
  }

  /** Whether the last write or ping reached InfluxDB. */
  public boolean isInfluxUp() {
    return influxUp.get() == 1;
  }

  /**
   * Why writes are failing and being retried, e.g. {@code "authorization failed"}; null while the
   * last write succeeded.
   */
  public String writeFailure() {
    return writeFailure;
  }

  /** Pings InfluxDB now. Blocks for up to two seconds: call off the event loop. */
  public boolean ping() {
    try {
      boolean up = influx.ping().isGood();
      influxUp.set(up && writeFailure == null ? 1 : 0);
      return up;
    } catch (RuntimeException e) {
      influxUp.set(0);
      return false;
    }
  }

  /** The configured InfluxDB URL, for health reports. */
  public String url() {
    return settings.url();
  }

  @Override
  public void close() {
    running = false;
    writers.forEach(Thread::interrupt);
    for (Thread writer : writers) {
      try {
        writer.join(5000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    failAll(new UnavailableException("node shutting down"));
    lineWriter.close();
    shared.close();
  }

  private void writeLoop() {
    List<Pending> batch = new ArrayList<>();
    ByteBuf lines = Unpooled.buffer(INITIAL_BUFFER_BYTES);
    while (running) {
      try {
        if (!collect(batch)) {
          continue;
        }
        writeUntilDone(batch, lines);
      } catch (InterruptedException e) {
        completeAll(batch, new UnavailableException("node shutting down"));
        break;
      } finally {
        batch.clear();
        if (lines.capacity() > settings.batchSize() * 256) {
          lines = Unpooled.buffer(INITIAL_BUFFER_BYTES); // don't keep an outage's peak
        }
      }
    }
  }

  /**
   * Waits for a first batch, then takes whatever else is already pending, up to the batch size: no
   * lingering, what arrives during this write goes with the next one.
   */
  private boolean collect(List<Pending> batch) throws InterruptedException {
    Pending first = queue.poll(1, TimeUnit.SECONDS);
    if (first == null) {
      return false;
    }
    batch.add(first);
    int readings = first.batch().readings().size();
    Pending next;
    while (readings < settings.batchSize() && (next = queue.poll()) != null) {
      batch.add(next);
      readings += next.batch().readings().size();
    }
    return true;
  }

  private void writeUntilDone(List<Pending> batch, ByteBuf lines) throws InterruptedException {
    long delay = 100;
    while (true) {
      try {
        ensureDatabase();
        writeAll(batch, lines);
        completeAll(batch, null);
        return;
      } catch (InfluxDBException e) {
        if (e instanceof InfluxDBException.DatabaseNotFoundException) {
          databaseReady = false;
        } else if (refusesTheData(e)) {
          writeOneByOne(batch, lines);
          return;
        }
        failed(e, delay);
        if (!running) {
          throw new InterruptedException();
        }
        Thread.sleep(delay);
        delay = Math.min(delay * 2, settings.maxRetryDelayMs());
      }
    }
  }

  /**
   * Whether InfluxDB refused the write because of what it holds, so retrying it can never succeed.
   * influxdb-java's own "retry worth" flag cannot say this: it marks wrong credentials as not worth
   * retrying, which would turn a password rotation into lost readings.
   */
  static boolean refusesTheData(InfluxDBException e) {
    if (e instanceof InfluxDBException.FieldTypeConflictException
        || e instanceof InfluxDBException.UnableToParseException
        || e instanceof InfluxDBException.PointsBeyondRetentionPolicyException) {
      return true;
    }
    String message = e.getMessage();
    return message != null && message.contains("partial write");
  }

  private void failed(InfluxDBException e, long retryInMs) {
    String reason = String.valueOf(e.getMessage());
    writeFailure = reason;
    influxUp.set(0);
    retryableFailures.increment();
    LOG.warn(
        "event=influx_write_failed url={} readings_pending={} retry_in_ms={} error=\"{}\"",
        settings.url(),
        bufferedReadings.get(),
        retryInMs,
        reason);
  }

  /** Isolates the batch InfluxDB refuses, so valid neighbours are still stored. */
  private void writeOneByOne(List<Pending> batch, ByteBuf lines) throws InterruptedException {
    for (Pending pending : batch) {
      List<Pending> single = List.of(pending);
      try {
        writeAll(single, lines);
        completeAll(single, null);
      } catch (InfluxDBException e) {
        if (!refusesTheData(e)) {
          writeUntilDone(single, lines);
        } else {
          rejectedBatches.increment();
          LOG.warn(
              "event=influx_write_rejected device={} error=\"{}\"",
              pending.batch().device().id(),
              e.getMessage());
          completeAll(single, new RejectedException(e.getMessage()));
        }
      }
    }
  }

  private void writeAll(List<Pending> batch, ByteBuf lines) {
    lines.clear();
    int readings = 0;
    int points = 0;
    for (Pending pending : batch) {
      points += LineProtocol.append(lines, pending.batch());
      readings += pending.batch().readings().size();
    }
    long start = System.nanoTime();
    lineWriter.write(
        lines.array(), lines.arrayOffset() + lines.readerIndex(), lines.readableBytes());
    writeLatency.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
    writeFailure = null;
    influxUp.set(1);
    batchPoints.record(points);
    pointsWritten.increment(points);
    readingsWritten.increment(readings);
  }

  private void ensureDatabase() {
    if (!databaseReady) {
      // A database name cannot be a bound parameter; it is checked against DATABASE_NAME above.
      influx.query(new Query("CREATE DATABASE \"" + settings.database() + "\""));
      databaseReady = true;
      LOG.info(
          "event=influx_database_ready url={} database={}", settings.url(), settings.database());
    }
  }

  /**
   * Completes a write's callers with one hop per Vert.x context rather than one per caller: a large
   * batch from a few event loops costs a few task submissions.
   */
  private void completeAll(List<Pending> batch, Throwable failure) {
    long readings = 0;
    Map<Context, List<Pending>> byContext = new IdentityHashMap<>(4);
    for (Pending pending : batch) {
      readings += pending.batch().readings().size();
      if (pending.context() == null) {
        complete(pending, failure);
      } else {
        byContext.computeIfAbsent(pending.context(), c -> new ArrayList<>()).add(pending);
      }
    }
    bufferedReadings.addAndGet(-readings);
    byContext.forEach(
        (context, pendings) ->
            context.runOnContext(v -> pendings.forEach(p -> complete(p, failure))));
  }

  private static void complete(Pending pending, Throwable failure) {
    if (failure == null) {
      pending.promise().tryComplete();
    } else {
      pending.promise().tryFail(failure);
    }
  }

  private void failAll(Throwable failure) {
    List<Pending> rest = new ArrayList<>();
    queue.drainTo(rest);
    completeAll(rest, failure);
  }
}
