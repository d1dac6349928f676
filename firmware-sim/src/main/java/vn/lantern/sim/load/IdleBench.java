package vn.lantern.sim.load;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code bench idle}: what an idle MQTT connection costs the node. Registers N bench devices,
 * samples the node's memory, opens N connections (Vert.x MQTT clients, keep-alive 60 s) that
 * publish nothing, holds them open, and samples again; the report divides the growth by the
 * connections made.
 */
public final class IdleBench {
  private static final Logger LOG = LoggerFactory.getLogger(IdleBench.class);

  private final BenchOptions options;
  private final Duration hold;

  /**
   * @param options the node, the devices to connect and {@code ingestPid} (required)
   * @param hold how long the connections stay open and idle before the second sample
   */
  public IdleBench(BenchOptions options, Duration hold) {
    if (options.ingestPid() == null || options.coap()) {
      throw new IllegalArgumentException("bench idle needs --mqtt and --ingest-pid");
    }
    this.options = options;
    this.hold = hold;
  }

  /** Runs the measurement and returns its report. */
  public IdleReport run() throws Exception {
    if (options.apiUrl() != null) {
      IngestBench.provision(options);
    }
    NodeMemory node = new NodeMemory(options.ingestPid());
    if (!node.heapPreTouched()) {
      LOG.warn(
          "event=heap_not_pretouched advice=\"start the node with -Xms = -Xmx and"
              + " -XX:+AlwaysPreTouch, else heap pages touched meanwhile count as resident growth\"");
    }
    NodeMemory.Sample before = node.sample();
    try (MqttDriver driver = new MqttDriver(options, new LoadStats(), 0, 0)) {
      long start = System.nanoTime();
      int connected = driver.connectAll();
      Duration connecting = Duration.ofNanos(System.nanoTime() - start);
      LOG.info(
          "event=connected connections={} of={} ms={} hold_s={}",
          connected,
          options.devices(),
          connecting.toMillis(),
          hold.toSeconds());
      Thread.sleep(hold.toMillis());
      NodeMemory.Sample after = node.sample();
      return IdleReport.of(options.devices(), connected, connecting, hold, before, after);
    }
  }
}
