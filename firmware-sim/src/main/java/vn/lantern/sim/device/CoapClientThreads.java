package vn.lantern.sim.device;

import java.util.concurrent.ScheduledExecutorService;
import org.eclipse.californium.elements.util.ExecutorsUtil;
import org.eclipse.californium.elements.util.NamedThreadFactory;

/**
 * Threads shared by many simulated CoAP clients in one process: Californium's protocol stage and
 * its timers run on a few pooled threads instead of a protocol thread and a timer per client, and
 * each client's DTLS records are encrypted on the thread that sends them and decrypted on the
 * client's receiver thread ({@link InlineExecutor}) instead of being handed to a connector thread.
 * A request and its response then cross two thread hand-offs fewer, each a park and wake-up that
 * cost more CPU than the record's AES-GCM; measured in docs/benchmarks.md (2026-12-01, DTLS
 * generator).
 */
public final class CoapClientThreads implements AutoCloseable {
  private final ScheduledExecutorService protocol;
  private final ScheduledExecutorService timers;

  /**
   * @param protocolThreads threads of the shared protocol stage, e.g. one per core
   */
  public CoapClientThreads(int protocolThreads) {
    this.protocol =
        ExecutorsUtil.newScheduledThreadPool(
            protocolThreads, new NamedThreadFactory("sim-coap-protocol#"));
    this.timers = ExecutorsUtil.newDefaultSecondaryScheduler("sim-coap-timer#");
  }

  /** Californium's protocol-stage executor for every client. */
  ScheduledExecutorService protocol() {
    return protocol;
  }

  /** Californium's secondary executor (timers) for every client. */
  ScheduledExecutorService timers() {
    return timers;
  }

  @Override
  public void close() {
    protocol.shutdownNow();
    timers.shutdownNow();
  }
}
