package vn.lantern.auth;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The few threads that check login passwords (PBKDF2, deliberately slow), with a bounded queue.
 * Anyone can call the login, so its hashing never runs on a pool that other work (such as saving
 * alert transitions) depends on, and a flood beyond the queue is refused at once with {@link Busy}
 * rather than queued without end.
 */
public final class LoginPool implements AutoCloseable {
  /** Login checks run at once. */
  static final int THREADS = 2;

  /** Login checks that may wait for a thread; more are refused. */
  static final int QUEUE = 32;

  private final WorkerExecutor executor;
  private final int capacity;
  private final AtomicInteger admitted = new AtomicInteger();

  LoginPool(Vertx vertx, int threads, int queue) {
    this.executor = vertx.createSharedWorkerExecutor("lantern-auth-login", threads);
    this.capacity = threads + queue;
  }

  /** Runs {@code task} on the pool, or fails with {@link Busy} when the queue is full. */
  public <T> Future<T> submit(Callable<T> task) {
    if (admitted.incrementAndGet() > capacity) {
      admitted.decrementAndGet();
      return Future.failedFuture(new Busy());
    }
    return executor.executeBlocking(task, false).andThen(done -> admitted.decrementAndGet());
  }

  @Override
  public void close() {
    executor.close();
  }

  /** The login pool's queue is full: the client should retry shortly. */
  public static final class Busy extends RuntimeException {
    Busy() {
      super("login checks are busy", null, false, false);
    }
  }
}
