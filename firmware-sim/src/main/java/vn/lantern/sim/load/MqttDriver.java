package vn.lantern.sim.load;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.lantern.sim.device.ConnectFailureLog;

/** MQTT 3.1.1 load: one Vert.x MQTT client per device, all on a few event loops. */
final class MqttDriver implements LoadDriver {
  private static final Logger LOG = LoggerFactory.getLogger(MqttDriver.class);
  private static final int PARALLEL_CONNECTS = 64;

  private final BenchOptions options;
  private final LoadStats stats;
  private final long runId;
  private final long baseTs;
  private final Vertx vertx;
  private final List<Connection> connections = new ArrayList<>();
  private final ConnectFailureLog connectFailures = new ConnectFailureLog();

  MqttDriver(BenchOptions options, LoadStats stats, long runId, long baseTs) {
    this.options = options;
    this.stats = stats;
    this.runId = runId;
    this.baseTs = baseTs;
    this.vertx =
        Vertx.vertx(
            new VertxOptions()
                .setEventLoopPoolSize(options.eventLoops())
                .setPreferNativeTransport(true));
  }

  @Override
  public int connectAll() throws InterruptedException {
    URI mqtt = URI.create(options.mqttUri());
    Semaphore slots = new Semaphore(PARALLEL_CONNECTS);
    List<CompletableFuture<Boolean>> results = new ArrayList<>();
    for (int i = 0; i < options.devices(); i++) {
      String device = BenchDevices.id(i);
      Connection c = new Connection(i, vertx, stats, options, runId, baseTs);
      connections.add(c);
      slots.acquire();
      CompletableFuture<Boolean> done = new CompletableFuture<>();
      c.connect(mqtt.getHost(), mqtt.getPort())
          .onComplete(
              r -> {
                slots.release();
                if (r.failed()) {
                  connectFailures.failed(device, r.cause());
                }
                done.complete(r.succeeded());
              });
      results.add(done);
    }
    int connected = 0;
    for (CompletableFuture<Boolean> r : results) {
      if (r.join()) {
        connected++;
      }
    }
    return connected;
  }

  @Override
  public void start(PublishSchedule schedule) {
    for (int i = 0; i < connections.size(); i++) {
      connections.get(i).start(schedule == null ? 0 : schedule.firstDelayMs(i), schedule);
    }
  }

  @Override
  public void stop() {
    connections.forEach(Connection::stop);
  }

  @Override
  public long inFlight() throws Exception {
    long n = 0;
    for (Connection c : connections) {
      n += await(c.inFlight());
    }
    return n;
  }

  @Override
  public long[] ackedPerDevice() throws Exception {
    long[] acked = new long[connections.size()];
    for (int i = 0; i < acked.length; i++) {
      acked[i] = await(connections.get(i).acked());
    }
    return acked;
  }

  @Override
  public void close() {
    List<Future<Void>> closing = new ArrayList<>();
    connections.forEach(c -> closing.add(c.disconnect()));
    try {
      Future.join(closing).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.warn("event=disconnect_incomplete error=\"{}\"", e.toString());
    }
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
