package vn.lantern.gateway.uplink;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.lantern.gateway.config.GatewayConfig;
import vn.lantern.gateway.store.QueuedReading;
import vn.lantern.gateway.store.ReadingQueue;

/**
 * Drains the durable queue to an ingest node through a {@link UplinkTransport} (MQTT 5 for {@code
 * tcp://} and {@code ssl://} URLs, CoAP for {@code coaps://} and {@code coap://}): oldest first,
 * one device's readings per SenML message, at most {@code maxInFlight} messages awaiting their
 * acknowledgement and at most {@code maxMessagesPerSecond} sent, so a backlog drains steadily
 * instead of flooding the node.
 *
 * <p>Readings leave the queue only on a positive acknowledgement (PUBACK success, CoAP 2.04). A
 * refusal the same message would get again moves them to the queue's rejected table; anything else
 * (connection lost, node unavailable, no acknowledgement within {@code ackTimeoutMs}) rewinds the
 * drain cursor so they are sent again. Redelivery is harmless: the node stores a reading under
 * (device, timestamp), so a duplicate overwrites itself. Reconnects use exponential backoff with
 * full jitter.
 */
public final class Uplink implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Uplink.class);

  private final GatewayConfig config;
  private final ReadingQueue queue;
  private final UplinkTransport transport;
  private final Semaphore window;
  private final Backoff backoff;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final AtomicBoolean rewind = new AtomicBoolean(false);
  private final AtomicLong cursor = new AtomicLong(0);
  private final Counter acknowledged;
  private final Counter rewinds;
  private final Counter failures;
  private final Thread drainer;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "uplink-ack-timer");
            t.setDaemon(true);
            return t;
          });
  private final Object wakeUp = new Object();
  private volatile UplinkState state = UplinkState.DISCONNECTED;

  public Uplink(GatewayConfig config, ReadingQueue queue, MeterRegistry metrics) {
    this(config, queue, metrics, transportFor(config));
  }

  Uplink(
      GatewayConfig config, ReadingQueue queue, MeterRegistry metrics, UplinkTransport transport) {
    this.config = config;
    this.queue = queue;
    this.transport = transport;
    GatewayConfig.Uplink uplink = config.uplink();
    this.window = new Semaphore(Math.max(1, uplink.maxInFlight()));
    this.backoff = new Backoff(uplink.minBackoffMs(), uplink.maxBackoffMs());
    this.acknowledged =
        Counter.builder("gateway_uplink_readings_acknowledged")
            .description("Readings acknowledged by the ingest node and removed from the queue")
            .register(metrics);
    this.rewinds =
        Counter.builder("gateway_uplink_rewinds")
            .description("Times unacknowledged messages were sent again")
            .register(metrics);
    this.failures =
        Counter.builder("gateway_uplink_publish_failures")
            .description("Messages not acknowledged (sent again later)")
            .register(metrics);
    Gauge.builder("gateway_uplink_connected", () -> state == UplinkState.CONNECTED ? 1 : 0)
        .description("1 while the uplink can send")
        .register(metrics);
    this.drainer = new Thread(this::run, "uplink-drain");
    this.drainer.setDaemon(true);
  }

  /** The transport for the URL's scheme. */
  static UplinkTransport transportFor(GatewayConfig config) {
    String url = config.uplink().url().toLowerCase(Locale.ROOT);
    if (url.startsWith("tcp://") || url.startsWith("ssl://")) {
      return new MqttTransport(config);
    }
    if (url.startsWith("coaps://") || url.startsWith("coap://")) {
      return new CoapTransport(config);
    }
    throw new IllegalArgumentException(
        "uplink.url must start with tcp://, ssl://, coaps:// or coap://, got " + url);
  }

  /** Starts connecting and draining. */
  public void start() {
    drainer.start();
  }

  public UplinkState state() {
    return state;
  }

  /** Tells the drainer new readings are waiting. */
  public void wake() {
    synchronized (wakeUp) {
      wakeUp.notifyAll();
    }
  }

  private void run() {
    long minGapNanos =
        TimeUnit.SECONDS.toNanos(1) / Math.max(1, config.uplink().maxMessagesPerSecond());
    long nextSendAt = System.nanoTime();
    while (running.get()) {
      try {
        if (!transport.isConnected()) {
          connect();
          continue;
        }
        if (rewind.getAndSet(false)) {
          // Wait for the window to empty so late acknowledgements land first, then resend the rest.
          window.acquire(config.uplink().maxInFlight());
          window.release(config.uplink().maxInFlight());
          cursor.set(0);
          rewinds.increment();
        }
        List<List<QueuedReading>> messages = nextMessages();
        if (messages.isEmpty()) {
          synchronized (wakeUp) {
            wakeUp.wait(200);
          }
          continue;
        }
        for (List<QueuedReading> batch : messages) {
          window.acquire();
          long wait = nextSendAt - System.nanoTime();
          if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
          }
          nextSendAt = Math.max(nextSendAt, System.nanoTime() - minGapNanos) + minGapNanos;
          send(batch);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        LOG.warn("event=uplink_error error=\"{}\"", e.getMessage());
        rewind.set(true);
        sleepQuietly(backoff.nextDelayMs());
      }
    }
  }

  /**
   * The next window of readings after the cursor, grouped into messages of one device each (at most
   * {@code batchSize} readings, in queue order per device), so interleaved devices still travel in
   * full batches. The cursor moves past the whole window.
   */
  private List<List<QueuedReading>> nextMessages() {
    int batchSize = Math.max(1, config.uplink().batchSize());
    List<QueuedReading> rows =
        queue.peek(cursor.get(), batchSize * Math.max(1, config.uplink().maxInFlight()));
    if (rows.isEmpty()) {
      return List.of();
    }
    Map<String, List<QueuedReading>> open = new LinkedHashMap<>();
    List<List<QueuedReading>> messages = new ArrayList<>();
    for (QueuedReading r : rows) {
      List<QueuedReading> batch = open.computeIfAbsent(r.device(), d -> new ArrayList<>());
      batch.add(r);
      if (batch.size() == batchSize) {
        messages.add(batch);
        open.remove(r.device());
      }
    }
    messages.addAll(open.values());
    cursor.set(rows.get(rows.size() - 1).seq());
    return messages;
  }

  private void send(List<QueuedReading> batch) {
    String device = batch.get(0).device();
    AtomicBoolean settled = new AtomicBoolean(false);
    // An acknowledgement that never comes (half-open connection) must not pin the window.
    timer.schedule(
        () -> {
          if (settled.compareAndSet(false, true)) {
            settle(batch, Delivery.retry(-1, "no acknowledgement within timeout"));
          }
        },
        config.uplink().ackTimeoutMs(),
        TimeUnit.MILLISECONDS);
    transport.send(
        device,
        SenmlEncoder.encode(device, batch),
        delivery -> {
          if (settled.compareAndSet(false, true)) {
            settle(batch, delivery);
          }
        });
  }

  private void settle(List<QueuedReading> batch, Delivery delivery) {
    try {
      switch (delivery.outcome()) {
        case ACKED -> {
          queue.delete(batch);
          acknowledged.increment(batch.size());
          backoff.reset();
        }
        case REFUSED -> {
          queue.reject(batch, delivery.code());
          LOG.warn(
              "event=uplink_refused device={} readings={} code={} detail=\"{}\"",
              batch.get(0).device(),
              batch.size(),
              delivery.code(),
              delivery.detail());
        }
        case RETRY -> {
          rewind.set(true);
          failures.increment();
          LOG.debug(
              "event=uplink_send_failed code={} detail=\"{}\"", delivery.code(), delivery.detail());
        }
      }
    } catch (RuntimeException e) {
      rewind.set(true);
      LOG.warn("event=uplink_settle_failed error=\"{}\"", e.getMessage());
    } finally {
      window.release();
    }
  }

  private void connect() throws InterruptedException {
    if (state == UplinkState.CONNECTED) {
      LOG.warn("event=uplink_disconnected url={}", config.uplink().url());
    }
    state = UplinkState.CONNECTING;
    try {
      transport.connect();
      state = UplinkState.CONNECTED;
      rewind.set(true);
      LOG.info("event=uplink_connected url={} gateway={}", config.uplink().url(), config.id());
    } catch (Exception e) {
      state = UplinkState.DISCONNECTED;
      long delay = backoff.nextDelayMs();
      LOG.warn(
          "event=uplink_connect_failed url={} error=\"{}\" retry_in_ms={}",
          config.uplink().url(),
          e.getMessage(),
          delay);
      transport.close();
      Thread.sleep(delay);
    }
  }

  private static void sleepQuietly(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    running.set(false);
    drainer.interrupt();
    try {
      drainer.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    transport.close();
    timer.shutdownNow();
    state = UplinkState.STOPPED;
  }
}
