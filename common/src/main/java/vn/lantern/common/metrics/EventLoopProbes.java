package vn.lantern.common.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How late each event loop of a Vert.x instance runs its tasks: {@link EventLoopMeters#DELAY}
 * {@code {loop="N"}}, a timer fed by a probe on every loop that asks to run again {@link #PERIOD}
 * later and records how much later than that it really ran. A loop blocked by a slow handler delays
 * the probe by about as long. Vert.x's own meters measure worker pools and servers, not event
 * loops.
 *
 * <p>Vert.x has no public way to run a task on a chosen event loop, so each probe is a verticle:
 * Vert.x gives every deployment an event-loop context, round-robin over the loops, and probes are
 * deployed one at a time until every loop has one (a probe landing on a loop already measured, as
 * other deployments starting at the same time can cause, is undeployed). The probes are deployments
 * of the Vert.x instance, so closing it stops them.
 *
 * <p>Netty's pending-task counts are not measured: Vert.x 5 exposes its event-loop group only
 * through internal API ({@code VertxInternal.nettyEventLoopGroup()}).
 */
public final class EventLoopProbes {
  /**
   * How often each probe runs: a block is seen at most one period shorter than it lasted (one
   * shorter than a period may fall between two runs). Each run wakes an idle loop: probing four
   * idle loops costs about 0.4 % of one core at 100 ms, 0.65 % at 50 ms (docs/benchmarks.md).
   */
  static final Duration PERIOD = Duration.ofMillis(100);

  private static final Logger LOG = LoggerFactory.getLogger(EventLoopProbes.class);

  /** Deployments per loop before giving up on covering every loop. */
  private static final int ATTEMPTS_PER_LOOP = 8;

  private final Vertx vertx;
  private final MeterRegistry registry;
  private final int loops;
  private final Set<String> measured = ConcurrentHashMap.newKeySet();
  private final List<String> deployments = new ArrayList<>();

  private EventLoopProbes(Vertx vertx, MeterRegistry registry, int loops) {
    this.vertx = vertx;
    this.registry = registry;
    this.loops = loops;
  }

  /**
   * Starts measuring every event loop of {@code vertx}.
   *
   * @param loops its event-loop pool size
   * @return completes once every loop has its probe (or, failing that, with as many as found)
   */
  public static Future<EventLoopProbes> start(Vertx vertx, MeterRegistry registry, int loops) {
    EventLoopProbes probes = new EventLoopProbes(vertx, registry, loops);
    return probes.deployUntilCovered(loops * ATTEMPTS_PER_LOOP).map(probes);
  }

  /** The event-loop threads measured. */
  public Set<String> measuredThreads() {
    return Set.copyOf(measured);
  }

  /** Stops every probe. */
  public Future<Void> stop() {
    List<Future<Void>> undeployed = new ArrayList<>();
    synchronized (deployments) {
      deployments.forEach(id -> undeployed.add(vertx.undeploy(id)));
      deployments.clear();
    }
    return Future.join(undeployed).mapEmpty();
  }

  private Future<Void> deployUntilCovered(int attemptsLeft) {
    if (measured.size() >= loops) {
      return Future.succeededFuture();
    }
    if (attemptsLeft == 0) {
      LOG.warn("event=event_loop_meters_incomplete measured={} loops={}", measured.size(), loops);
      return Future.succeededFuture();
    }
    Probe probe = new Probe();
    return vertx
        .deployVerticle(probe)
        .compose(
            id -> {
              if (!probe.measuring) {
                return vertx.undeploy(id);
              }
              synchronized (deployments) {
                deployments.add(id);
              }
              return Future.<Void>succeededFuture();
            })
        .compose(done -> deployUntilCovered(attemptsLeft - 1));
  }

  /** Thread {@code vert.x-eventloop-thread-3} is loop {@code 3}. */
  static String loopOf(String threadName) {
    return threadName.substring(threadName.lastIndexOf('-') + 1);
  }

  /** Runs on one event loop, asking to run again every {@link #PERIOD}. */
  private final class Probe extends VerticleBase {
    private volatile boolean measuring;
    private Timer delay;
    private long due;
    private long timerId;

    @Override
    public Future<?> start() {
      String thread = Thread.currentThread().getName();
      measuring = measured.add(thread);
      if (measuring) {
        delay =
            Timer.builder(EventLoopMeters.DELAY)
                .description("how much later than asked a task runs on this event loop")
                .tag("loop", loopOf(thread))
                .publishPercentileHistogram()
                .register(registry);
        schedule();
      }
      return Future.succeededFuture();
    }

    @Override
    public Future<?> stop() {
      if (measuring) {
        vertx.cancelTimer(timerId);
      }
      return Future.succeededFuture();
    }

    private void schedule() {
      due = System.nanoTime() + PERIOD.toNanos();
      timerId = vertx.setTimer(PERIOD.toMillis(), id -> tick());
    }

    private void tick() {
      delay.record(Math.max(0, System.nanoTime() - due), TimeUnit.NANOSECONDS);
      schedule();
    }
  }
}
