package vn.lantern.common.influx;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.influxdb.InfluxDB;
import org.influxdb.dto.BatchPoints;
import org.influxdb.dto.Point;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Batches points of one kind (KPI values, alert events) and writes them on its own thread, retrying
 * with exponential backoff while InfluxDB is unreachable, so a write offered during an outage
 * arrives after it. Bounded: beyond {@code maxBuffered} points the oldest are dropped and counted.
 * {@link #offer} never blocks, so it may be called from an event loop.
 *
 * <p>Hand-written because influxdb-java's own batching is a mode of the whole client (every {@code
 * write(Point)} of that client goes through it, with no backoff); this one batches only what is
 * offered to it and shares the node's client.
 */
public final class PointBatcher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PointBatcher.class);
  private static final int MAX_BATCH = 5_000;
  private static final long FIRST_RETRY_MS = 100;

  private final InfluxDB influx;
  private final String database;
  private final String name;
  private final int maxBuffered;
  private final long maxRetryDelayMs;
  private final Deque<Point> buffer = new ArrayDeque<>();
  private final Counter written;
  private final Counter failures;
  private final Counter dropped;
  private final Thread thread;
  private boolean closed;

  /**
   * Starts the writer thread.
   *
   * @param name what is written (tag {@code writer} of the metrics), e.g. {@code kpi}
   */
  public PointBatcher(
      InfluxDB influx,
      InfluxSettings settings,
      String name,
      int maxBuffered,
      MeterRegistry metrics) {
    this.influx = influx;
    this.database = settings.database();
    this.name = name;
    this.maxBuffered = maxBuffered;
    this.maxRetryDelayMs = Math.max(FIRST_RETRY_MS, settings.maxRetryDelayMs());
    this.written = metrics.counter(InfluxMeters.POINTS_WRITTEN, "writer", name);
    this.failures = metrics.counter(InfluxMeters.WRITE_FAILURES, "writer", name);
    this.dropped = metrics.counter(InfluxMeters.POINTS_DROPPED, "writer", name);
    this.thread = new Thread(this::run, "lantern-influx-" + name);
    thread.setDaemon(true);
    thread.start();
  }

  /** Queues points for writing. */
  public void offer(Collection<Point> points) {
    int over;
    synchronized (this) {
      if (closed) {
        return;
      }
      buffer.addAll(points);
      over = buffer.size() - maxBuffered;
      for (int i = 0; i < over; i++) {
        buffer.pollFirst();
      }
      notifyAll();
    }
    if (over > 0) {
      dropped.increment(over);
      LOG.warn("event=influx_points_dropped writer={} points={}", name, over);
    }
  }

  /** Queues one point for writing. */
  public void offer(Point point) {
    offer(List.of(point));
  }

  private void run() {
    long retryDelayMs = FIRST_RETRY_MS;
    while (true) {
      List<Point> batch = take();
      if (batch == null) {
        return;
      }
      try {
        BatchPoints.Builder points =
            BatchPoints.database(database).precision(TimeUnit.MILLISECONDS).consistency(null);
        batch.forEach(points::point);
        influx.write(points.build());
        written.increment(batch.size());
        synchronized (this) {
          // Points dropped for overflow meanwhile left the front already.
          for (Point p : batch) {
            if (buffer.peekFirst() == p) {
              buffer.pollFirst();
            }
          }
        }
        retryDelayMs = FIRST_RETRY_MS;
      } catch (RuntimeException e) {
        failures.increment();
        LOG.warn(
            "event=influx_write_failed writer={} points={} retry_ms={} error=\"{}\"",
            name,
            batch.size(),
            retryDelayMs,
            e.getMessage());
        if (!pause(retryDelayMs)) {
          return;
        }
        retryDelayMs = Math.min(maxRetryDelayMs, retryDelayMs * 2);
      }
    }
  }

  /**
   * The oldest buffered points (left in the buffer until written), waiting for some; null once
   * closed and empty.
   */
  private synchronized List<Point> take() {
    while (buffer.isEmpty()) {
      if (closed) {
        return null;
      }
      try {
        wait();
      } catch (InterruptedException e) {
        return null;
      }
    }
    List<Point> batch = new ArrayList<>(Math.min(buffer.size(), MAX_BATCH));
    for (Point p : buffer) {
      if (batch.size() == MAX_BATCH) {
        break;
      }
      batch.add(p);
    }
    return batch;
  }

  /** Waits before a retry; false when closing cut the wait short. */
  private synchronized boolean pause(long ms) {
    if (closed) {
      return false;
    }
    try {
      wait(ms);
    } catch (InterruptedException e) {
      return false;
    }
    return !closed;
  }

  /** Writes what is buffered (trying once more), waiting up to {@code timeoutMs}, then stops. */
  public void close(long timeoutMs) {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      notifyAll();
    }
    try {
      thread.join(timeoutMs);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    int left;
    synchronized (this) {
      left = buffer.size();
    }
    if (left > 0) {
      LOG.warn("event=influx_points_unwritten writer={} points={}", name, left);
    }
  }

  @Override
  public void close() {
    close(5_000);
  }
}
