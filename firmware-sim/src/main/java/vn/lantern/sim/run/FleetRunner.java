package vn.lantern.sim.run;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.lantern.common.tls.ClientTls;
import vn.lantern.sim.device.AckLedger;
import vn.lantern.sim.device.CoapUplink;
import vn.lantern.sim.device.FleetStats;
import vn.lantern.sim.device.Mqtt3Uplink;
import vn.lantern.sim.device.Mqtt5Uplink;
import vn.lantern.sim.device.SimulatedDevice;
import vn.lantern.sim.device.Uplink;
import vn.lantern.sim.progress.Progress;
import vn.lantern.sim.scenario.DeviceSpec;
import vn.lantern.sim.scenario.Fleet;
import vn.lantern.sim.scenario.Outage;
import vn.lantern.sim.scenario.Transport;
import vn.lantern.sim.signal.SignalModels;

/**
 * Runs a scenario's fleet: one {@link SimulatedDevice} per device, ticked every 100 ms (wall) by a
 * small scheduler, until the run's duration is over; then it waits for the last acknowledgements.
 */
public final class FleetRunner {
  private static final Logger LOG = LoggerFactory.getLogger(FleetRunner.class);
  private static final long TICK_MS = 100;

  private final Fleet fleet;
  private final RunSettings settings;

  public FleetRunner(Fleet fleet, RunSettings settings) {
    this.fleet = fleet;
    this.settings = settings;
  }

  /** Runs to the end and returns what happened. Blocks the calling thread. */
  public RunResult run() throws InterruptedException {
    FleetStats stats = new FleetStats();
    AckLedger ledger = new AckLedger();
    List<SimulatedDevice> devices = new ArrayList<>();
    int skipped = 0;
    for (DeviceSpec spec : fleet.devices()) {
      if (endpoint(spec) == null) {
        skipped++;
      } else {
        devices.add(device(spec, stats, ledger));
      }
    }
    if (skipped > 0) {
      LOG.warn(
          "event=devices_skipped count={} reason=\"no endpoint given for their transport (--mqtt,"
              + " --coap)\"",
          skipped);
    }
    if (devices.isEmpty()) {
      throw new IllegalArgumentException(
          "no device can run: give --mqtt and/or --coap for the scenario's transports");
    }
    Instant measureEnd = settings.clock().isBackfill() ? settings.clock().now() : null;
    if (measureEnd != null) {
      devices.forEach(d -> d.measureUntil(measureEnd));
    }
    LOG.info(
        "event=run_started scenario={} devices={} start={} backfill={}",
        fleet.scenario().name(),
        devices.size(),
        settings.clock().start(),
        settings.clock().isBackfill());
    ScheduledExecutorService ticker =
        Executors.newScheduledThreadPool(
            2,
            r -> {
              Thread t = new Thread(r, "sim-ticker");
              t.setDaemon(true);
              return t;
            });
    ScheduledFuture<?> ticking =
        ticker.scheduleAtFixedRate(
            () -> devices.forEach(SimulatedDevice::tick), 0, TICK_MS, TimeUnit.MILLISECONDS);
    try (Progress progress = progress(measureEnd != null, stats)) {
      long deadline = System.nanoTime() + settings.wallDuration().toNanos();
      while (System.nanoTime() < deadline) {
        if (measureEnd != null && devices.stream().allMatch(SimulatedDevice::done)) {
          break;
        }
        Thread.sleep(TICK_MS);
      }
      Instant stopAt = settings.clock().now();
      devices.forEach(d -> d.measureUntil(stopAt));
      long drainDeadline = System.nanoTime() + settings.drainTimeout().toNanos();
      while (System.nanoTime() < drainDeadline
          && !devices.stream().allMatch(SimulatedDevice::idle)) {
        Thread.sleep(TICK_MS);
      }
    } finally {
      ticking.cancel(false);
      ticker.shutdown();
      ticker.awaitTermination(5, TimeUnit.SECONDS);
    }
    long backlog = devices.stream().mapToLong(SimulatedDevice::backlog).sum();
    closeAll(devices);
    return new RunResult(stats, ledger, backlog);
  }

  /** Disconnecting waits for the client's threads, so hundreds of devices close in parallel. */
  private static void closeAll(List<SimulatedDevice> devices) throws InterruptedException {
    ExecutorService closing = Executors.newFixedThreadPool(Math.min(64, devices.size()));
    devices.forEach(d -> closing.execute(d::close));
    closing.shutdown();
    if (!closing.awaitTermination(30, TimeUnit.SECONDS)) {
      LOG.warn("event=close_incomplete devices={}", devices.size());
    }
  }

  /** Backfill: acknowledged of measured readings; a live run: acknowledged readings over time. */
  private Progress progress(boolean backfill, FleetStats stats) {
    return backfill
        ? Progress.start("backfill", "readings", stats.acked::sum, stats.measured::sum)
        : Progress.forDuration(
            "sim run", "acknowledged readings", stats.acked::sum, settings.wallDuration());
  }

  private SimulatedDevice device(DeviceSpec spec, FleetStats stats, AckLedger ledger) {
    var events = fleet.scenario().eventsFor(spec.id());
    var random = Fleet.randomFor(fleet.seed(), spec.id());
    var model = SignalModels.create(spec, events, random.split());
    List<Outage> outages =
        events.stream().filter(Outage.class::isInstance).map(Outage.class::cast).toList();
    return new SimulatedDevice(
        spec,
        model,
        random,
        outages,
        uplink(spec),
        settings.clock(),
        settings.device(),
        stats,
        ledger);
  }

  private Uplink uplink(DeviceSpec spec) {
    String uri = endpoint(spec);
    ClientTls tls = settings.tls() == null ? null : settings.tls().forDevice(spec.id());
    return switch (spec.transport()) {
      case MQTT3 ->
          new Mqtt3Uplink(uri, spec.id(), spec.secret(), settings.device().window() + 2, tls);
      case MQTT5 ->
          new Mqtt5Uplink(uri, spec.id(), spec.secret(), spec.format().payloadFormat(), tls);
      case COAP ->
          new CoapUplink(
              uri, spec.id(), spec.psk(), spec.secret(), spec.format().payloadFormat(), tls);
    };
  }

  /** The node endpoint of a device's transport, or {@code null} when the run has none. */
  private String endpoint(DeviceSpec spec) {
    String uri = spec.transport() == Transport.COAP ? settings.coapUri() : settings.mqttUri();
    return uri == null || uri.isBlank() ? null : uri;
  }
}
