package vn.lantern.sim.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import vn.lantern.sim.scenario.DeviceGroup;
import vn.lantern.sim.scenario.DeviceSpec;
import vn.lantern.sim.scenario.DeviceType;
import vn.lantern.sim.scenario.Fleet;
import vn.lantern.sim.scenario.Format;
import vn.lantern.sim.signal.SignalModels;

/**
 * Firmware behaviour of one device against an uplink the test drives by hand: queueing while
 * disconnected, dropping the oldest when full, resending what was not acknowledged, giving up on
 * refused readings, and stamping with its own clock.
 */
class SimulatedDeviceTest {
  private static final Instant START = Instant.parse("2026-11-20T00:00:00Z");

  /** An uplink whose connection and acknowledgements the test controls. */
  static final class ScriptedUplink implements Uplink {
    final List<CompletableFuture<Void>> sends = new ArrayList<>();
    final List<byte[]> payloads = new ArrayList<>();
    volatile boolean up;

    @Override
    public CompletableFuture<Void> connect() {
      return up
          ? CompletableFuture.completedFuture(null)
          : CompletableFuture.failedFuture(new IllegalStateException("no route"));
    }

    @Override
    public synchronized CompletableFuture<Void> send(byte[] payload) {
      CompletableFuture<Void> f = new CompletableFuture<>();
      sends.add(f);
      payloads.add(payload);
      return f;
    }

    @Override
    public boolean connected() {
      return up;
    }

    @Override
    public void onConnectionLost(Runnable action) {}

    @Override
    public void disconnect() {}

    @Override
    public void close() {}
  }

  private final ScriptedUplink uplink = new ScriptedUplink();
  private final FleetStats stats = new FleetStats();
  private final AckLedger ledger = new AckLedger();

  /** Scenario time at a minute per wall millisecond: after the pause, the test's period is due. */
  private static SimClock fastClock() {
    SimClock clock = SimClock.live(START, 60_000);
    try {
      Thread.sleep(50);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return clock;
  }

  private SimulatedDevice device(int queue, Duration clockOffset, SimClock clock) {
    DeviceGroup group =
        new DeviceGroup(
            "t",
            DeviceType.NOISE,
            "tam-ky",
            null,
            null,
            null,
            1,
            Duration.ofMinutes(1),
            null,
            Format.LANTERN_JSON,
            null,
            null);
    DeviceSpec spec = new DeviceSpec("t-01", group, "secret", null, clockOffset);
    var random = Fleet.randomFor(1, spec.id());
    return new SimulatedDevice(
        spec,
        SignalModels.create(spec, List.of(), random.split()),
        random,
        List.of(),
        uplink,
        clock,
        new DeviceSettings(
            queue, 2, Duration.ofMinutes(5), new Backoff(Duration.ZERO, Duration.ZERO)),
        stats,
        ledger);
  }

  @Test
  void queuesWhileDisconnectedDropsTheOldestAndCatchesUpOnReconnect() {
    // 10 minutes of scenario time are due at once: 10 samples into a queue of 5.
    SimulatedDevice d = device(5, Duration.ZERO, fastClock());
    d.measureUntil(START.plus(Duration.ofMinutes(10)).minusSeconds(1));
    d.tick();
    assertEquals(10, stats.measured.sum());
    assertEquals(5, stats.dropped.sum());
    assertEquals(5, d.backlog());
    assertTrue(stats.connectFailures.sum() >= 1, "connecting failed while the link was down");

    uplink.up = true;
    d.tick();
    assertEquals(2, uplink.sends.size(), "window of 2");
    while (!d.idle()) {
      List.copyOf(uplink.sends).forEach(f -> f.complete(null));
      d.tick();
    }
    assertEquals(5, stats.acked.sum());
    // The five kept are the newest: minutes 5..9 after the start.
    long first = ledger.byDevice().get("t-01").timestamps().stream().min(Long::compare).get();
    assertEquals(START.plus(Duration.ofMinutes(5)).toEpochMilli(), first);
  }

  @Test
  void resendsWhatWasNotAcknowledgedAfterALostConnection() {
    SimulatedDevice d = device(100, Duration.ZERO, fastClock());
    d.measureUntil(START.plus(Duration.ofMinutes(3)).minusSeconds(1));
    uplink.up = true;
    d.tick();
    assertEquals(2, uplink.sends.size());
    byte[] firstPayload = uplink.payloads.get(0);

    uplink.sends.get(0).completeExceptionally(new IllegalStateException("connection lost"));
    d.tick();
    assertEquals(firstPayload, uplink.payloads.get(2), "the unacknowledged reading goes first");
    assertTrue(stats.redelivered.sum() >= 1);
    while (!d.idle()) {
      List.copyOf(uplink.sends).forEach(f -> f.complete(null));
      d.tick();
    }
    assertEquals(3, stats.acked.sum());
    assertEquals(3, ledger.size());
  }

  @Test
  void refusedReadingsAreCountedAndNotResent() {
    SimulatedDevice d = device(100, Duration.ZERO, fastClock());
    d.measureUntil(START.plus(Duration.ofMinutes(1)).minusSeconds(1));
    uplink.up = true;
    d.tick();
    uplink.sends.get(0).completeExceptionally(new RejectedException("reason code 0x99"));
    assertTrue(d.idle());
    assertEquals(1, stats.errors.sum());
    assertEquals(0, stats.acked.sum());
  }

  @Test
  void stampsReadingsWithItsOwnClock() {
    Duration offset = Duration.ofMillis(1500);
    SimulatedDevice d = device(100, offset, fastClock());
    d.measureUntil(START.plus(Duration.ofMinutes(1)).minusSeconds(1));
    uplink.up = true;
    d.tick();
    uplink.sends.get(0).complete(null);
    long ts = ledger.byDevice().get("t-01").timestamps().iterator().next();
    assertEquals(START.plus(offset).toEpochMilli(), ts);
    String json = new String(uplink.payloads.get(0), java.nio.charset.StandardCharsets.UTF_8);
    assertTrue(json.startsWith("{\"ts\":" + ts + ",\"m\":{\"laeq\":"), json);
  }
}
