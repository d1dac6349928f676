package vn.lantern.sim.device;

import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.californium.elements.util.ExecutorsUtil;
import org.eclipse.californium.elements.util.NamedThreadFactory;

/**
 * Threads shared by many simulated CoAP clients in one process: Californium's protocol stage and
 * its timers run on a few pooled threads instead of a protocol thread and a timer per client, and
 * each client's DTLS records are encrypted on the thread that sends them and decrypted on the
 * client's receiver thread instead of being handed to a connector thread. A request and its
 * response then cross two thread hand-offs fewer, each a park and wake-up that cost more CPU than
 * the record's AES-GCM; measured in docs/benchmarks.md (2026-12-01, DTLS generator).
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

  /**
   * The executor of a client's DTLS connector: runs each record job on the calling thread. A client
   * has one peer and one connection, so Scandium's per-connection serial order is kept without a
   * pool; no library offers a direct {@link ExecutorService} (Guava's is not on this module's class
   * path).
   */
  static ExecutorService direct() {
    return new DirectExecutor();
  }

  @Override
  public void close() {
    protocol.shutdownNow();
    timers.shutdownNow();
  }

  private static final class DirectExecutor extends AbstractExecutorService {
    private volatile boolean shutdown;

    @Override
    public void execute(Runnable command) {
      command.run();
    }

    @Override
    public void shutdown() {
      shutdown = true;
    }

    @Override
    public List<Runnable> shutdownNow() {
      shutdown = true;
      return List.of();
    }

    @Override
    public boolean isShutdown() {
      return shutdown;
    }

    @Override
    public boolean isTerminated() {
      return shutdown;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
      return true;
    }
  }
}
