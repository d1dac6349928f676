package vn.lantern.sim.device;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.lantern.sim.scenario.DeviceSpec;
import vn.lantern.sim.scenario.Outage;
import vn.lantern.sim.signal.SignalModel;

/**
 * One sensor's firmware: it measures on its sampling schedule (in scenario time), stamps readings
 * with its own slightly-off clock, keeps them in a bounded queue, and sends them with a few in
 * flight. A reading leaves the queue only when the node acknowledges it; after a lost connection
 * the unacknowledged ones go out again once the device has reconnected with backoff and jitter.
 *
 * <p>{@link #tick} is called periodically by the runner; the uplink calls back from its own
 * threads. All state is guarded by this object's monitor.
 */
public final class SimulatedDevice {
  private static final Logger LOG = LoggerFactory.getLogger(SimulatedDevice.class);
  private static final ConnectFailureLog CONNECT_FAILURES = new ConnectFailureLog();

  private enum State {
    DISCONNECTED,
    CONNECTING,
    CONNECTED,
    CLOSED
  }

  private final DeviceSpec spec;
  private final SignalModel model;
  private final SplittableRandom random;
  private final List<Outage> outages;
  private final Uplink uplink;
  private final SimClock clock;
  private final DeviceSettings settings;
  private final FleetStats stats;
  private final AckLedger ledger;

  private final ArrayDeque<Message> queue = new ArrayDeque<>();
  private final Map<Message, Long> inFlight = new LinkedHashMap<>();
  private Instant nextSample;
  private Instant end;
  private State state = State.DISCONNECTED;
  private int connectFailures;
  private long nextConnectNanos;

  /** One reading on its way; {@code attempt} tells a stale callback from the current one. */
  private static final class Message {
    final long timestampMs;
    final byte[] payload;
    int attempt;

    Message(long timestampMs, byte[] payload) {
      this.timestampMs = timestampMs;
      this.payload = payload;
    }
  }

  public SimulatedDevice(
      DeviceSpec spec,
      SignalModel model,
      SplittableRandom random,
      List<Outage> outages,
      Uplink uplink,
      SimClock clock,
      DeviceSettings settings,
      FleetStats stats,
      AckLedger ledger) {
    this.spec = spec;
    this.model = model;
    this.random = random;
    this.outages = outages;
    this.uplink = uplink;
    this.clock = clock;
    this.settings = settings;
    this.stats = stats;
    this.ledger = ledger;
    this.nextSample = clock.start();
    uplink.onConnectionLost(this::connectionLost);
  }

  public String id() {
    return spec.id();
  }

  /** Stops measuring at {@code end} (scenario time); what is queued is still sent. */
  public synchronized void measureUntil(Instant end) {
    this.end = end;
  }

  /** Measures what is due, keeps the connection up and sends. */
  public synchronized void tick() {
    if (state == State.CLOSED) {
      return;
    }
    Instant now = clock.now();
    measure(now);
    boolean offline = offlineAt(now);
    if (offline && state == State.CONNECTED) {
      LOG.debug("event=uplink_down device={} reason=outage", spec.id());
      dropConnection();
    }
    if (!offline) {
      connectIfDue();
    }
    expireUnacknowledged();
    pump();
  }

  /** Whether everything measured so far has been acknowledged. */
  public synchronized boolean idle() {
    return queue.isEmpty() && inFlight.isEmpty();
  }

  /** Whether the device has measured its whole period (backfill and bounded runs). */
  public synchronized boolean done() {
    return end != null && !nextSample.isBefore(end) && idle();
  }

  /** Readings not yet acknowledged. */
  public synchronized int backlog() {
    return queue.size() + inFlight.size();
  }

  /** Disconnects for good. */
  public void close() {
    synchronized (this) {
      state = State.CLOSED;
    }
    uplink.close();
  }

  private void measure(Instant now) {
    while (!nextSample.isAfter(now) && (end == null || nextSample.isBefore(end))) {
      if (clock.isBackfill() && backlog() >= settings.queueCapacity()) {
        return; // backfill: measure only as fast as the node acknowledges
      }
      Instant at = nextSample;
      nextSample = nextSample.plus(spec.interval());
      Duration offset = Duration.between(clock.start(), at);
      // Always draw the sample, even when it is thrown away, so the data never depends on timing.
      Map<String, Double> metrics = model.sample(at, offset, random);
      if (silentAt(offset)) {
        stats.silenced.increment();
        continue;
      }
      long ts = at.plus(spec.clockOffset()).toEpochMilli();
      byte[] payload = PayloadEncoder.encode(spec.format(), spec.id(), ts, metrics);
      if (queue.size() + inFlight.size() >= settings.queueCapacity() && !queue.isEmpty()) {
        queue.pollFirst();
        stats.dropped.increment();
      }
      queue.addLast(new Message(ts, payload));
      stats.measured.increment();
    }
  }

  private boolean silentAt(Duration offset) {
    for (Outage o : outages) {
      if (o.mode() == Outage.Mode.SILENT && o.activeAt(offset)) {
        return true;
      }
    }
    return false;
  }

  private boolean offlineAt(Instant now) {
    Duration offset = Duration.between(clock.start(), now);
    for (Outage o : outages) {
      if (o.mode() == Outage.Mode.OFFLINE && o.activeAt(offset)) {
        return true;
      }
    }
    return false;
  }

  private void connectIfDue() {
    if (state != State.DISCONNECTED || System.nanoTime() < nextConnectNanos) {
      return;
    }
    state = State.CONNECTING;
    uplink
        .connect()
        .whenComplete(
            (ok, e) -> {
              synchronized (this) {
                if (state != State.CONNECTING) {
                  return;
                }
                if (e == null) {
                  state = State.CONNECTED;
                  connectFailures = 0;
                  pump();
                } else {
                  state = State.DISCONNECTED;
                  stats.connectFailures.increment();
                  Duration delay = settings.backoff().delay(connectFailures++);
                  nextConnectNanos = System.nanoTime() + delay.toNanos();
                  CONNECT_FAILURES.failed(spec.id(), e);
                  LOG.debug(
                      "event=connect_retry device={} retry_in_ms={} error=\"{}\"",
                      spec.id(),
                      delay.toMillis(),
                      e.getMessage());
                }
              }
            });
  }

  private void pump() {
    while (state == State.CONNECTED && inFlight.size() < settings.window() && !queue.isEmpty()) {
      Message message = queue.pollFirst();
      if (message.attempt == 0) {
        stats.sent.increment();
      } else {
        stats.redelivered.increment();
      }
      int attempt = ++message.attempt;
      inFlight.put(message, System.nanoTime());
      uplink.send(message.payload).whenComplete((ok, e) -> completed(message, attempt, e));
    }
  }

  private synchronized void completed(Message message, int attempt, Throwable error) {
    if (message.attempt != attempt || inFlight.remove(message) == null) {
      return; // a late answer to an attempt already given up on
    }
    if (error == null) {
      stats.acked.increment();
      ledger.record(spec.id(), spec.type().measurement(), message.timestampMs);
      if (clock.isBackfill()) {
        measure(clock.now());
      }
      pump();
    } else if (unwrap(error) instanceof RejectedException rejected) {
      stats.errors.increment();
      LOG.warn("event=reading_rejected device={} reason=\"{}\"", spec.id(), rejected.getMessage());
      pump();
    } else {
      queue.addFirst(message);
      if (state == State.CONNECTED) {
        dropConnection();
      }
    }
  }

  private void expireUnacknowledged() {
    if (inFlight.isEmpty()) {
      return;
    }
    long oldest = inFlight.values().iterator().next();
    if (System.nanoTime() - oldest > settings.ackTimeout().toNanos()) {
      stats.errors.increment();
      LOG.debug("event=ack_timeout device={}", spec.id());
      dropConnection();
    }
  }

  private synchronized void connectionLost() {
    if (state == State.CONNECTED) {
      stats.disconnects.increment();
      dropConnection();
    }
  }

  /** Puts the unacknowledged readings back in front of the queue and reconnects after backoff. */
  private void dropConnection() {
    // Back in measurement order, whichever of them failed first.
    List<Message> pending = new ArrayList<>(inFlight.keySet());
    pending.addAll(queue);
    pending.sort(Comparator.comparingLong(m -> m.timestampMs));
    inFlight.clear();
    queue.clear();
    queue.addAll(pending);
    state = State.DISCONNECTED;
    Duration delay = settings.backoff().delay(connectFailures++);
    nextConnectNanos = System.nanoTime() + delay.toNanos();
    // Off this monitor: the client's own threads may be waiting for it to deliver callbacks.
    CompletableFuture.runAsync(uplink::disconnect);
  }

  private static Throwable unwrap(Throwable e) {
    return e instanceof java.util.concurrent.CompletionException && e.getCause() != null
        ? e.getCause()
        : e;
  }
}
