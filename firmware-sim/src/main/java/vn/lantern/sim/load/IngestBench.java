package vn.lantern.sim.load;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import org.HdrHistogram.Histogram;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.lantern.sim.device.CoapMessageIds;
import vn.lantern.sim.progress.Progress;
import vn.lantern.sim.run.ApiClient;
import vn.lantern.sim.verify.InfluxCheck;

/**
 * {@code bench ingest}: registers N bench devices, connects them (MQTT: Vert.x clients on a few
 * event loops; CoAP: a DTLS client each), publishes at a target rate or as fast as acknowledged
 * with a bounded window per device, measures publish→acknowledgement latency with HdrHistogram,
 * then checks in InfluxDB that every acknowledged reading was stored.
 */
public final class IngestBench {
  private static final Logger LOG = LoggerFactory.getLogger(IngestBench.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int PARALLEL_PROVISIONING = 16;

  private final BenchOptions options;
  private final CoapMessageIds coapMessageIds;

  public IngestBench(BenchOptions options) {
    this(options, CoapMessageIds.DEFAULT);
  }

  /** A run whose CoAP clients use only {@code coapMessageIds}, to make them run out (a test). */
  IngestBench(BenchOptions options, CoapMessageIds coapMessageIds) {
    this.options = options;
    this.coapMessageIds = coapMessageIds;
  }

  /** Runs the benchmark and returns its report. */
  public BenchReport run() throws Exception {
    if (options.apiUrl() != null) {
      provision(options);
    }
    long runId = System.currentTimeMillis() % 1_000_000_000L;
    // A day back, so even a fast run's "base + seq" timestamps stay in the node's accepted window.
    long baseTs = Instant.now().minus(Duration.ofDays(1)).toEpochMilli();
    ProcStat ingest = options.ingestPid() == null ? null : new ProcStat(options.ingestPid());
    ProcStat influxd = options.influxPid() == null ? null : new ProcStat(options.influxPid());
    long rssBefore = ingest == null ? -1 : ingest.residentKib();
    LoadStats stats = new LoadStats();
    try (LoadDriver driver =
        options.coap()
            ? new CoapDriver(options, stats, runId, baseTs, coapMessageIds)
            : new MqttDriver(options, stats, runId, baseTs)) {
      int connected = driver.connectAll();
      long rssConnected = ingest == null ? -1 : ingest.residentKib();
      LOG.info("event=connected connections={} of={}", connected, options.devices());

      PublishSchedule schedule =
          options.rate() == null
              ? null
              : PublishSchedule.forRate(options.devices(), options.rate());
      long warmupStart = System.nanoTime();
      boolean warmedUp = warmUp(driver, schedule, stats);
      // The measured interval starts here, with a warm-up's load still running: what it left in
      // flight is answered inside the interval, as in any other second of a steady run.
      stats.latency.reset();
      LoadStats.Counts before = stats.counts();
      BenchReport.Warmup warmup =
          warmedUp
              ? BenchReport.Warmup.of(
                  Duration.ofNanos(System.nanoTime() - warmupStart), before.acked())
              : null;
      if (warmedUp) {
        LOG.info(
            "event=warmed_up acked={} acked_per_s={}", warmup.acked(), warmup.ackedPerSecond());
      }
      double cpuStart = ingest == null ? 0 : ingest.cpuSeconds();
      double influxCpuStart = influxd == null ? 0 : influxd.cpuSeconds();
      long start = System.nanoTime();
      if (!warmedUp) {
        driver.start(schedule);
      }
      try (Progress progress =
          Progress.forDuration(
              "bench", "acks", () -> stats.acked.sum() - before.acked(), options.duration())) {
        Thread.sleep(options.duration().toMillis());
      }
      driver.stop();
      long publishEnd = System.nanoTime();
      awaitDrained(driver, Duration.ofSeconds(30));
      long end = System.nanoTime();
      double cpuEnd = ingest == null ? 0 : ingest.cpuSeconds();
      Double influxCpu = influxd == null ? null : influxd.cpuSeconds() - influxCpuStart;
      LoadStats.Counts measured = stats.counts().since(before);

      long[] acked = driver.ackedPerDevice();
      Histogram latency = stats.latency.getIntervalHistogram();
      Long missing = null;
      Long stored = null;
      if (options.influxUrl() != null) {
        try (InfluxCheck check = new InfluxCheck(options.influxUrl(), options.influxDb())) {
          Map<String, Long> counts = check.countByDevice(BenchDevices.TYPE, runId, baseTs);
          long m = 0;
          long s = 0;
          for (int i = 0; i < acked.length; i++) {
            long have = counts.getOrDefault(BenchDevices.id(i), 0L);
            s += have;
            m += Math.max(0, acked[i] - have);
          }
          missing = options.qos() == 1 ? m : null;
          stored = s;
        }
      }
      return BenchReport.of(
          options,
          connected,
          measured,
          latency,
          Duration.ofNanos(publishEnd - start),
          Duration.ofNanos(end - start),
          missing,
          stored,
          ingest == null ? null : cpuEnd - cpuStart,
          influxCpu,
          ingest == null || connected == 0 ? null : (rssConnected - rssBefore) / (double) connected,
          warmup,
          stats.lastError);
    }
  }

  /**
   * Starts the load and runs it untimed for the warm-up, if there is one, so that the measured
   * interval does not include the generator's (a new JVM's) compiling; false without one.
   */
  private boolean warmUp(LoadDriver driver, PublishSchedule schedule, LoadStats stats)
      throws InterruptedException {
    if (options.warmup().isZero()) {
      return false;
    }
    driver.start(schedule);
    try (Progress progress =
        Progress.forDuration("warm-up", "acks", stats.acked::sum, options.warmup())) {
      Thread.sleep(options.warmup().toMillis());
    }
    return true;
  }

  private static void awaitDrained(LoadDriver driver, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline && driver.inFlight() > 0) {
      Thread.sleep(50);
    }
  }

  /** Registers the run's bench devices through the node's API (idempotent PUTs). */
  static void provision(BenchOptions options) throws InterruptedException {
    ApiClient api = new ApiClient(options.apiUrl(), options.apiToken());
    Semaphore slots = new Semaphore(PARALLEL_PROVISIONING);
    List<CompletableFuture<Integer>> pending = new ArrayList<>();
    long start = System.nanoTime();
    for (int i = 0; i < options.devices(); i++) {
      ObjectNode device = JSON.createObjectNode();
      device.put("id", BenchDevices.id(i));
      device.put("type", BenchDevices.TYPE);
      device.put("zone", options.zone());
      device.put("site", "load generator");
      device.put("secret", BenchDevices.secret(i));
      if (options.coap()) {
        device.put("psk", BenchDevices.psk(i));
      }
      slots.acquire();
      pending.add(api.putDeviceAsync(device).whenComplete((r, e) -> slots.release()));
    }
    CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).join();
    LOG.info(
        "event=provisioned devices={} ms={}",
        options.devices(),
        (System.nanoTime() - start) / 1_000_000);
  }
}
