package vn.lantern.ingest.store;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import okhttp3.OkHttpClient;
import org.influxdb.InfluxDB;
import org.influxdb.InfluxDBException;
import org.influxdb.InfluxDBFactory;
import org.influxdb.dto.BatchPoints;
import org.influxdb.dto.Point;
import org.influxdb.dto.Query;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.lantern.common.telemetry.DeviceRef;
import vn.lantern.common.telemetry.Reading;
import vn.lantern.common.telemetry.TelemetryBatch;

/**
 * Writes telemetry to InfluxDB in batches and tells each caller when its readings are durable.
 *
 * <p>One writer thread owns the InfluxDB connection. While a write is in flight new batches queue
 * up, so the next write carries all of them: latency stays low when the load is light and batches
 * grow by themselves when it is heavy. A failed write is retried with backoff until it succeeds, so
 * a caller's future completes only once InfluxDB has acknowledged its readings; a write InfluxDB
 * refuses as such (4xx) is split so only the offending batch is rejected.
 *
 * <p>Points are identified by (measurement, tags, timestamp), so a redelivered message overwrites
 * itself: at-least-once delivery stores every reading exactly once.
 */
public final class TelemetryStore implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TelemetryStore.class);
  private static final Pattern DATABASE_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_-]{0,63}");

  private final InfluxSettings settings;
  private final InfluxDB influx;
  private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
  private final AtomicLong bufferedReadings = new AtomicLong();
  private final AtomicInteger influxUp = new AtomicInteger();
  private final Thread writer;
  private volatile boolean running = true;
  private boolean databaseReady;

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

  public TelemetryStore(InfluxSettings settings, MeterRegistry metrics) {
    if (!DATABASE_NAME.matcher(settings.database()).matches()) {
      throw new IllegalArgumentException(
          "influx.database must match " + DATABASE_NAME.pattern() + ": " + settings.database());
    }
    this.settings = settings;
    OkHttpClient.Builder http =
        new OkHttpClient.Builder()
            .connectTimeout(2, TimeUnit.SECONDS)
            .readTimeout(30, TimeUnit.SECONDS)
            .writeTimeout(30, TimeUnit.SECONDS);
    this.influx =
        settings.username().isEmpty()
            ? InfluxDBFactory.connect(settings.url(), http)
            : InfluxDBFactory.connect(
                settings.url(), settings.username(), settings.password(), http);
    if (settings.compress()) {
      influx.enableGzip();
    }

    pointsWritten = metrics.counter("lantern_store_points_written");
    readingsWritten = metrics.counter("lantern_store_readings_written");
    retryableFailures = metrics.counter("lantern_store_write_failures", "kind", "retryable");
    rejectedBatches = metrics.counter("lantern_store_write_failures", "kind", "rejected");
    writeLatency =
        Timer.builder("lantern_store_write_duration")
            .description("time of one batched InfluxDB write")
            .publishPercentileHistogram()
            .register(metrics);
    batchPoints =
        DistributionSummary.builder("lantern_store_batch_points")
            .description("points per InfluxDB write")
            .register(metrics);
    Gauge.builder("lantern_store_buffered_readings", bufferedReadings, AtomicLong::get)
        .description("readings waiting to be written")
        .register(metrics);
    Gauge.builder("lantern_store_influx_up", influxUp, AtomicInteger::get)
        .description("1 when the last InfluxDB write or ping succeeded")
        .register(metrics);

    writer = new Thread(this::writeLoop, "lantern-influx-writer");
    writer.setDaemon(true);
    writer.start();
  }

  /**
   * Queues a batch for writing. Call on a Vert.x context: the future completes on that context once
   * the readings are durable in InfluxDB.
   */
  public Future<Void> write(TelemetryBatch batch) {
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

  /** Pings InfluxDB now. Blocks for up to two seconds: call off the event loop. */
  public boolean ping() {
    try {
      boolean up = influx.ping().isGood();
      influxUp.set(up ? 1 : 0);
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
    writer.interrupt();
    try {
      writer.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    influx.close();
  }

  private void writeLoop() {
    List<Pending> batch = new ArrayList<>();
    while (running) {
      try {
        if (!collect(batch)) {
          continue;
        }
        writeUntilDone(batch);
      } catch (InterruptedException e) {
        batch.forEach(p -> complete(p, new UnavailableException("node shutting down")));
        break;
      } finally {
        batch.clear();
      }
    }
    failAll(new UnavailableException("node shutting down"));
  }

  /** Waits for a first batch, then lingers briefly for more, up to the batch size. */
  private boolean collect(List<Pending> batch) throws InterruptedException {
    Pending first = queue.poll(1, TimeUnit.SECONDS);
    if (first == null) {
      return false;
    }
    batch.add(first);
    int readings = first.batch().readings().size();
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(settings.flushIntervalMs());
    while (readings < settings.batchSize()) {
      Pending next = queue.poll();
      if (next == null) {
        long wait = deadline - System.nanoTime();
        if (wait <= 0 || (next = queue.poll(wait, TimeUnit.NANOSECONDS)) == null) {
          break;
        }
      }
      batch.add(next);
      readings += next.batch().readings().size();
    }
    return true;
  }

  private void writeUntilDone(List<Pending> batch) throws InterruptedException {
    long delay = 100;
    while (true) {
      try {
        ensureDatabase();
        writeAll(batch);
        batch.forEach(p -> complete(p, null));
        return;
      } catch (InfluxDBException e) {
        if (e instanceof InfluxDBException.DatabaseNotFoundException) {
          databaseReady = false;
        } else if (!e.isRetryWorth()) {
          writeOneByOne(batch);
          return;
        }
        influxUp.set(0);
        retryableFailures.increment();
        LOG.warn(
            "event=influx_write_failed url={} points_pending={} retry_in_ms={} error=\"{}\"",
            settings.url(),
            bufferedReadings.get(),
            delay,
            e.getMessage());
        if (!running) {
          throw new InterruptedException();
        }
        Thread.sleep(delay);
        delay = Math.min(delay * 2, settings.maxRetryDelayMs());
      }
    }
  }

  /** Isolates the batch InfluxDB refuses, so valid neighbours are still stored. */
  private void writeOneByOne(List<Pending> batch) throws InterruptedException {
    for (Pending pending : batch) {
      List<Pending> single = new ArrayList<>(List.of(pending));
      try {
        writeAll(single);
        complete(pending, null);
      } catch (InfluxDBException e) {
        if (e.isRetryWorth()) {
          writeUntilDone(single);
        } else {
          rejectedBatches.increment();
          LOG.warn(
              "event=influx_write_rejected device={} error=\"{}\"",
              pending.batch().device().id(),
              e.getMessage());
          complete(pending, new RejectedException(e.getMessage()));
        }
      }
    }
  }

  private void writeAll(List<Pending> batch) {
    BatchPoints.Builder builder =
        BatchPoints.database(settings.database()).precision(TimeUnit.MILLISECONDS);
    int points = 0;
    int readings = 0;
    for (Pending pending : batch) {
      for (Point point : toPoints(pending.batch())) {
        builder.point(point);
        points++;
      }
      readings += pending.batch().readings().size();
    }
    long start = System.nanoTime();
    influx.write(builder.build());
    writeLatency.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
    influxUp.set(1);
    batchPoints.record(points);
    pointsWritten.increment(points);
    readingsWritten.increment(readings);
  }

  /**
   * One point per distinct timestamp; its fields are the metrics read at that instant. Public for
   * the hot-path benchmark.
   */
  public static List<Point> toPoints(TelemetryBatch batch) {
    DeviceRef device = batch.device();
    Map<Long, Point.Builder> byTime = new LinkedHashMap<>();
    for (Reading reading : batch.readings()) {
      byTime
          .computeIfAbsent(
              reading.timestampMs(),
              ts ->
                  Point.measurement(device.type())
                      .time(ts, TimeUnit.MILLISECONDS)
                      .tag("zone", device.zone())
                      .tag("site", device.site())
                      .tag("device", device.id()))
          .addField(reading.metric(), reading.value());
    }
    List<Point> points = new ArrayList<>(byTime.size());
    byTime.values().forEach(b -> points.add(b.build()));
    return points;
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

  private void complete(Pending pending, Throwable failure) {
    bufferedReadings.addAndGet(-pending.batch().readings().size());
    Runnable done =
        failure == null
            ? () -> pending.promise().tryComplete()
            : () -> pending.promise().tryFail(failure);
    if (pending.context() != null) {
      pending.context().runOnContext(v -> done.run());
    } else {
      done.run();
    }
  }

  private void failAll(Throwable failure) {
    Pending pending;
    while ((pending = queue.poll()) != null) {
      complete(pending, failure);
    }
  }
}
