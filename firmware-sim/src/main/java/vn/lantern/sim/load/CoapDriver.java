package vn.lantern.sim.load;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.lantern.common.logging.LogWindow;
import vn.lantern.common.telemetry.PayloadFormat;
import vn.lantern.sim.device.Backoff;
import vn.lantern.sim.device.CoapClientThreads;
import vn.lantern.sim.device.CoapMessageIds;
import vn.lantern.sim.device.CoapUplink;
import vn.lantern.sim.device.RejectedException;

/**
 * CoAP load: one DTLS (PSK) client per device, confirmable {@code POST /telemetry} with Lantern
 * JSON; on a {@code coap://} URI plain UDP with the device's secret in the query. Each client has
 * its own UDP socket and DTLS session, like real devices, and its own receiver thread; the protocol
 * stage and timers are shared ({@link CoapClientThreads}). Use hundreds of devices here, not
 * thousands.
 *
 * <p>A failed request (a timeout, a 5.03, the client's own message ids exhausted) keeps its reading
 * and its window slot: the same reading goes again after a back-off of its device, 10 ms doubling
 * to 1 s, reset by the device's next acknowledgement, so a failure that lasts costs a few requests
 * a second, not a loop. A client may not reuse a message id towards the node within the 247 s
 * exchange lifetime ({@link CoapMessageIds}): one client keeps up about 247 confirmable requests/s.
 */
final class CoapDriver implements LoadDriver {
  private static final Logger LOG = LoggerFactory.getLogger(CoapDriver.class);
  private static final long HANDSHAKE_TIMEOUT_MS = 30_000;
  // A failed request's reading waits 10 ms, 20 ms, ... up to 1 s (with jitter) before it is sent
  // again; a device's first acknowledgement resets it.
  private static final Backoff RETRY = new Backoff(Duration.ofMillis(10), Duration.ofSeconds(1));
  // ends both warnings about message ids running out
  private static final String MORE_DEVICES_HINT =
      " hint=\"each client may reuse a message id only after the exchange lifetime"
          + " (RFC 7252 4.4): use more --devices\"";

  private final BenchOptions options;
  private final LoadStats stats;
  private final long runId;
  private final long baseTs;
  private final CoapMessageIds messageIds;
  private final List<Device> devices = new ArrayList<>();
  private final ScheduledExecutorService timer =
      Executors.newScheduledThreadPool(
          2,
          r -> {
            Thread t = new Thread(r, "bench-coap-timer");
            t.setDaemon(true);
            return t;
          });
  // Californium's stage and timers for all clients: one pool instead of threads per client.
  private final CoapClientThreads threads =
      new CoapClientThreads(Math.max(1, Runtime.getRuntime().availableProcessors()));
  private volatile boolean publishing;
  // failed requests, one WARN line every 10 s at most, so a run shows why without a line each
  private final LogWindow failures = new LogWindow(10_000);
  private final AtomicBoolean idsExhaustedLogged = new AtomicBoolean();

  /** One device's client and counters; callbacks come from Californium's threads. */
  private final class Device {
    final String id;
    final CoapUplink uplink;
    final AtomicInteger inFlight = new AtomicInteger();
    final AtomicLong seq = new AtomicLong();
    final AtomicLong acked = new AtomicLong();
    final AtomicInteger failuresInARow = new AtomicInteger();

    Device(int index) {
      id = BenchDevices.id(index);
      uplink =
          new CoapUplink(
              options.coapUri(),
              BenchDevices.id(index),
              BenchDevices.psk(index),
              BenchDevices.secret(index),
              PayloadFormat.LANTERN_JSON,
              options.tls() == null ? null : options.tls().forDevice(BenchDevices.id(index)),
              threads,
              messageIds);
    }

    boolean send() {
      if (!publishing || inFlight.incrementAndGet() > options.window()) {
        inFlight.decrementAndGet();
        return false;
      }
      long n = seq.incrementAndGet();
      byte[] payload =
          ("{\"ts\":" + (baseTs + n) + ",\"m\":{\"seq\":" + n + ",\"run\":" + runId + "}}")
              .getBytes(StandardCharsets.UTF_8);
      attempt(payload, System.nanoTime());
      return true;
    }

    /** Sends a reading; it holds its window slot until acknowledged, refused or given up. */
    private void attempt(byte[] payload, long firstSentAt) {
      stats.sent.increment();
      uplink
          .send(payload)
          .whenComplete(
              (ok, e) -> {
                if (e == null) {
                  acknowledged(firstSentAt);
                } else {
                  failed(payload, firstSentAt, e);
                }
              });
    }

    private void acknowledged(long firstSentAt) {
      failuresInARow.set(0);
      stats.latency.recordValue(Math.max(1, (System.nanoTime() - firstSentAt) / 1000));
      stats.acked.increment();
      acked.incrementAndGet();
      inFlight.decrementAndGet();
      if (options.rate() == null) {
        send();
      }
    }

    private void failed(byte[] payload, long firstSentAt, Throwable e) {
      stats.errors.increment();
      stats.lastError = e.getMessage();
      long failed = failures.take(System.currentTimeMillis());
      if (failed > 0) {
        LOG.warn(
            "event=request_failed failures={} last_device={} detail=\"{}\"",
            failed,
            id,
            e.getMessage());
      }
      if (CoapMessageIds.exhausted(e.getMessage()) && !idsExhaustedLogged.getAndSet(true)) {
        LOG.warn(
            "event=coap_message_ids_exhausted device={} ids_per_lifetime={} lifetime_s={}"
                + " sustained_per_client_per_s={}"
                + MORE_DEVICES_HINT,
            id,
            messageIds.perLifetime(),
            messageIds.lifetime().toSeconds(),
            String.format(Locale.ROOT, "%.1f", messageIds.sustainedPerSecond()));
      }
      if (e instanceof RejectedException) {
        // refused for good (4.xx): never resent, and as fast as acknowledged its slot stays empty
        inFlight.decrementAndGet();
        return;
      }
      // Kept and sent again after a back-off, as a device does: sending at once would spin on a
      // failure that lasts (ids exhausted for minutes), taking the generator's and the node's CPU.
      Duration delay = RETRY.delay(failuresInARow.getAndIncrement());
      try {
        timer.schedule(
            () -> {
              if (publishing) {
                attempt(payload, firstSentAt);
              } else {
                inFlight.decrementAndGet(); // the run is over: given up, counted as failed
              }
            },
            delay.toMillis(),
            TimeUnit.MILLISECONDS);
      } catch (RejectedExecutionException closed) {
        inFlight.decrementAndGet();
      }
    }
  }

  CoapDriver(
      BenchOptions options, LoadStats stats, long runId, long baseTs, CoapMessageIds messageIds) {
    this.options = options;
    this.stats = stats;
    this.runId = runId;
    this.baseTs = baseTs;
    this.messageIds = messageIds;
  }

  @Override
  public int connectAll() throws InterruptedException {
    for (int i = 0; i < options.devices(); i++) {
      Device d = new Device(i);
      d.uplink.connect().join();
      devices.add(d);
    }
    // A CoAP ping per device makes its DTLS handshake now: a device keeps its session for hours,
    // so the measured interval is the steady state, like MQTT's connections opened beforehand.
    ExecutorService pinging = Executors.newFixedThreadPool(Math.min(32, devices.size()));
    try {
      List<CompletableFuture<Boolean>> answered = new ArrayList<>();
      for (Device d : devices) {
        answered.add(
            CompletableFuture.supplyAsync(() -> d.uplink.ping(HANDSHAKE_TIMEOUT_MS), pinging));
      }
      return (int) answered.stream().filter(CompletableFuture::join).count();
    } finally {
      pinging.shutdown();
    }
  }

  @Override
  public void start(PublishSchedule schedule) {
    warnIfMessageIdsRunOut();
    publishing = true;
    for (int i = 0; i < devices.size(); i++) {
      Device d = devices.get(i);
      if (schedule != null) {
        timer.scheduleAtFixedRate(
            () -> {
              if (publishing && !d.send()) {
                stats.behind.increment();
              }
            },
            schedule.firstDelayMs(i),
            schedule.periodMs(),
            TimeUnit.MILLISECONDS);
      } else {
        for (int slot = 0; slot < options.window(); slot++) {
          d.send();
        }
      }
    }
  }

  /**
   * With {@code --rate}, one WARN line up front when each client would send more requests within
   * one exchange lifetime than it has message ids: its requests would then fail until ids come
   * free. As fast as acknowledged, the rate is not known before; the first exhausted request says
   * so instead ({@code event=coap_message_ids_exhausted}).
   */
  private void warnIfMessageIdsRunOut() {
    if (options.rate() == null) {
      return;
    }
    double perClient = options.rate() / options.devices();
    messageIds
        .runsOut(perClient, options.warmup().plus(options.duration()))
        .ifPresent(
            after ->
                LOG.warn(
                    "event=coap_message_ids_short per_client_per_s={} runs_out_after_s={}"
                        + " sustained_per_client_per_s={} devices_for_this_rate={}"
                        + MORE_DEVICES_HINT,
                    Math.round(perClient),
                    after.toSeconds(),
                    String.format(Locale.ROOT, "%.1f", messageIds.sustainedPerSecond()),
                    (long) Math.ceil(options.rate() / messageIds.sustainedPerSecond())));
  }

  @Override
  public void stop() {
    publishing = false;
  }

  @Override
  public long inFlight() {
    return devices.stream().mapToLong(d -> d.inFlight.get()).sum();
  }

  @Override
  public long[] ackedPerDevice() {
    return devices.stream().mapToLong(d -> d.acked.get()).toArray();
  }

  @Override
  public void close() {
    timer.shutdownNow();
    ExecutorService closing =
        Executors.newFixedThreadPool(Math.max(1, Math.min(32, devices.size())));
    List<CompletableFuture<Void>> done = new ArrayList<>();
    devices.forEach(d -> done.add(CompletableFuture.runAsync(d.uplink::close, closing)));
    CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).join();
    closing.shutdown();
    threads.close();
  }
}
