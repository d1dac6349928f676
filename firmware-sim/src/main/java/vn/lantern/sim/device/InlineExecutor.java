package vn.lantern.sim.device;

import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * An executor that runs each task on the calling thread, for Scandium's {@code
 * DTLSConnector.setExecutor}: a received record is then decrypted and handed on by the receiver
 * thread that read it, and a record is encrypted and sent by the thread that sends it, instead of
 * each crossing to a connector thread (a park and a wake-up that cost more CPU than the record's
 * AES). Scandium still runs a connection's jobs one at a time, in order. No library on the class
 * path offers a direct {@link java.util.concurrent.ExecutorService} (Guava's is not a dependency).
 */
final class InlineExecutor extends AbstractExecutorService {
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
