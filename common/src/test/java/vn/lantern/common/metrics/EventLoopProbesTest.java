package vn.lantern.common.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** One probe per event loop, even while other deployments take loops; none left once stopped. */
class EventLoopProbesTest {
  private static final int LOOPS = 3;

  private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(LOOPS));
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  @AfterEach
  void close() throws Exception {
    await(vertx.close());
  }

  @Test
  void everyLoopGetsOneProbeWhileOtherDeploymentsStart() throws Exception {
    List<Future<String>> others = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      others.add(vertx.deployVerticle(new Idle()));
    }
    EventLoopProbes probes = await(EventLoopProbes.start(vertx, registry, LOOPS));
    await(Future.all(others));

    assertEquals(LOOPS, probes.measuredThreads().size(), probes.measuredThreads().toString());
    Set<String> tagged = new TreeSet<>();
    registry
        .find(EventLoopMeters.DELAY)
        .timers()
        .forEach(t -> tagged.add(t.getId().getTag("loop")));
    Set<String> expected = new TreeSet<>();
    probes.measuredThreads().forEach(thread -> expected.add(EventLoopProbes.loopOf(thread)));
    assertEquals(expected, tagged);
  }

  @Test
  void stoppedProbesRecordNothingMore() throws Exception {
    EventLoopProbes probes = await(EventLoopProbes.start(vertx, registry, LOOPS));
    await(probes.stop());
    assertEquals(Set.of(), vertx.deploymentIDs());

    long counted = recorded();
    Thread.sleep(EventLoopProbes.PERIOD.multipliedBy(4).toMillis());
    assertEquals(counted, recorded(), "a stopped probe still ran");
  }

  private long recorded() {
    return registry.find(EventLoopMeters.DELAY).timers().stream().mapToLong(Timer::count).sum();
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** A deployment taking an event loop of its own. */
  private static final class Idle extends VerticleBase {}
}
