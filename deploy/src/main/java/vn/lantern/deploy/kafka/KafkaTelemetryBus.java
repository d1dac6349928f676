package vn.lantern.deploy.kafka;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.lantern.common.bus.TelemetryBus;
import vn.lantern.common.bus.ZoneCommand;
import vn.lantern.common.bus.ZoneEvent;
import vn.lantern.common.bus.ZoneOwnership;
import vn.lantern.common.telemetry.TelemetryBatch;
import vn.lantern.ingest.pipeline.TelemetrySink;

/**
 * The scaled-out telemetry bus: Apache Kafka, one record per batch on the readings topic, keyed by
 * zone so that every zone's readings stay in order on one partition and, in the {@code
 * lantern-rules} consumer group, on one rules node.
 *
 * <p>Sending is {@link KafkaSender}'s job: an idempotent producer waiting for all in-sync replicas,
 * whose acknowledgement is the clustered ingest node's ({@link #accept}). Subscribing joins the
 * rules group ({@link GroupConsumer}); each polled chunk is delivered to every subscriber on the
 * Vert.x context it subscribed from, and offsets are committed only after that delivery
 * (at-least-once).
 *
 * <p>What a rules node computes for its own zones (alert transitions, KPI values, window reports)
 * goes to every other rules node on the events topic ({@link #publishEvent}, read by {@link
 * EventFeed}), so that every node shows every zone.
 */
public final class KafkaTelemetryBus implements TelemetryBus, TelemetrySink {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaTelemetryBus.class);
  private static final long DEFAULT_MAX_WAITING_READINGS = 200_000;
  private static final long OWNERSHIP_CHANGE_WAIT_S = 30;

  private final Vertx vertx;
  // its producer is created on the first send: on a rules node, the first forwarded alert change
  private final KafkaSender sender;
  private final GroupConsumer group;
  // names this node in the events it publishes, so that it skips them when they come back
  private final String origin = UUID.randomUUID().toString();
  private final EventFeed events;
  private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();
  private final List<OwnershipListener> ownershipListeners = new CopyOnWriteArrayList<>();
  private final List<CommandHandler> commandHandlers = new CopyOnWriteArrayList<>();
  // written on the consumer's thread only
  private volatile Set<Integer> ownedPartitions = Set.of();
  private int topicPartitionCount;
  private volatile ZoneOwnership ownership = ZoneOwnership.NONE;

  private record Subscriber(Context context, Consumer<TelemetryBatch> consumer) {}

  private record CommandHandler(String kind, Context context, Consumer<ZoneCommand> handler) {}

  /** A bus holding at most the default 200,000 readings while they wait for the broker. */
  public KafkaTelemetryBus(Vertx vertx, KafkaSettings settings, MeterRegistry metrics) {
    this(vertx, settings, DEFAULT_MAX_WAITING_READINGS, metrics);
  }

  /**
   * @param maxWaitingReadings readings waiting for the broker's acknowledgement beyond which {@link
   *     #accept} fails at once
   */
  public KafkaTelemetryBus(
      Vertx vertx, KafkaSettings settings, long maxWaitingReadings, MeterRegistry metrics) {
    if (settings.bootstrap().isBlank()) {
      throw new IllegalArgumentException("LANTERN_KAFKA_BOOTSTRAP is required for the Kafka bus");
    }
    settings.security().clientProperties(); // bad security settings fail the start, not a publish
    this.vertx = vertx;
    this.sender = new KafkaSender(settings, maxWaitingReadings, metrics);
    this.events = new EventFeed(settings, origin, metrics);
    // a new group starts at the live edge: old readings are history, not alerts
    this.group =
        new GroupConsumer(
            settings,
            settings.group(),
            "lantern-rules",
            "latest",
            new GroupConsumer.Handler() {
              @Override
              public boolean handle(List<TelemetryBatch> batches) throws InterruptedException {
                return deliver(batches);
              }

              @Override
              public void commands(List<ZoneCommand> commands) throws InterruptedException {
                deliverCommands(commands);
              }

              @Override
              public void assigned(Collection<TopicPartition> partitions, int topicPartitions) {
                Set<Integer> next = new HashSet<>(ownedPartitions);
                partitions.forEach(p -> next.add(p.partition()));
                changeOwnership(next, topicPartitions);
              }

              @Override
              public void revoked(Collection<TopicPartition> partitions) {
                Set<Integer> next = new HashSet<>(ownedPartitions);
                partitions.forEach(p -> next.remove(p.partition()));
                changeOwnership(next, topicPartitionCount);
              }
            },
            metrics,
            KafkaMeters.BUS_CONSUMER);
  }

  /**
   * Sends the batch and completes once all in-sync replicas have it: the clustered ingest node
   * acknowledges the message then. Broker failures hold the future (the record is sent again); it
   * fails at once only when too many readings already wait.
   */
  @Override
  public Future<Void> accept(TelemetryBatch batch) {
    return sender.send(batch);
  }

  /** Sends the batch without waiting for the broker; failures are counted and logged. */
  @Override
  public void publish(TelemetryBatch batch) {
    sender.send(batch);
  }

  /**
   * Sends the command on the readings topic keyed by its zone: the rules group's member that owns
   * the zone's partition gets it; the InfluxDB writers skip it.
   */
  @Override
  public Future<Void> sendToOwner(ZoneCommand command) {
    return sender.send(command);
  }

  @Override
  public void onCommand(String kind, Consumer<ZoneCommand> handler) {
    commandHandlers.add(new CommandHandler(kind, vertx.getOrCreateContext(), handler));
  }

  /** Always: the other rules nodes of the group evaluate the other zones. */
  @Override
  public boolean clustered() {
    return true;
  }

  /** Whether this node owns the first partition of the readings topic. */
  @Override
  public boolean leads() {
    return ownedPartitions.contains(0);
  }

  /** Sends the event on the events topic, keyed by its zone, best effort. */
  @Override
  public void publishEvent(ZoneEvent event) {
    sender.send(event, origin);
  }

  /** Registers the handler and starts reading the events topic (on the first registration). */
  @Override
  public void onEvent(String kind, Consumer<ZoneEvent> handler) {
    events.on(kind, vertx.getOrCreateContext(), handler);
    events.start();
  }

  /** Why sends to the broker are failing and being retried; null while the last one succeeded. */
  public String sendFailure() {
    return sender.failure();
  }

  /**
   * Delivers every batch of this node's partitions to {@code consumer} on the caller's Vert.x
   * context. The first subscription joins the consumer group; once every subscription is closed,
   * this node leaves it at the next record, without committing it.
   */
  @Override
  public synchronized Subscription subscribe(Consumer<TelemetryBatch> consumer) {
    Subscriber subscriber = new Subscriber(vertx.getOrCreateContext(), consumer);
    subscribers.add(subscriber);
    group.start();
    return () -> subscribers.remove(subscriber);
  }

  /** The zones of the partitions this node owns in the rules group; none before it joins. */
  @Override
  public ZoneOwnership ownership() {
    return ownership;
  }

  @Override
  public void onOwnershipChange(OwnershipListener listener) {
    ownershipListeners.add(listener);
  }

  /**
   * The partition of the readings topic that holds {@code zone}'s records: the producer's default
   * partitioner for a keyed record (murmur2 of the key's bytes).
   */
  public static int partitionOf(String zone, int topicPartitions) {
    return Utils.toPositive(Utils.murmur2(zone.getBytes(StandardCharsets.UTF_8))) % topicPartitions;
  }

  /**
   * Switches to the zones of {@code partitions} and waits (on the consumer's thread, so before any
   * record of a gained partition is delivered and before a lost one is handed to another node)
   * until every listener has moved its state.
   */
  private void changeOwnership(Set<Integer> partitions, int topicPartitions) {
    Set<Integer> owned = Set.copyOf(partitions);
    ownedPartitions = owned;
    topicPartitionCount = topicPartitions;
    ZoneOwnership after =
        owned.isEmpty()
            ? ZoneOwnership.NONE
            : zone -> owned.contains(partitionOf(zone, topicPartitions));
    ownership = after;
    List<Future<Void>> moved = new ArrayList<>();
    for (OwnershipListener listener : ownershipListeners) {
      moved.add(listener.changed(after));
    }
    try {
      Future.join(moved)
          .toCompletionStage()
          .toCompletableFuture()
          .get(OWNERSHIP_CHANGE_WAIT_S, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      LOG.warn("event=bus_ownership_change_incomplete partitions={} error=\"{}\"", owned, e);
    }
    LOG.info("event=bus_zones_owned partitions={} of={}", owned, topicPartitions);
  }

  /** Partitions of the readings topic this node currently owns in the consumer group. */
  public int assignedPartitions() {
    return group.assignedPartitions();
  }

  /**
   * The consumer's state for {@code /health} (see {@link GroupConsumer#health}), with the numbers
   * of the partitions this node owns ({@code owned}) and the state of its feed of other nodes'
   * events ({@code events}, see {@link EventFeed#health}; it does not change {@code status}).
   */
  public JsonObject health() {
    return group
        .health()
        .put("owned", new JsonArray(ownedPartitions.stream().sorted().toList()))
        .put("events", events.health());
  }

  /**
   * Hands the batches to each subscriber on its context and waits until all have taken them.
   *
   * @return false when there is no subscriber left or the bus closed first
   */
  private boolean deliver(List<TelemetryBatch> batches) throws InterruptedException {
    if (subscribers.isEmpty()) {
      return false;
    }
    List<CompletableFuture<Void>> done = new ArrayList<>();
    for (Subscriber subscriber : subscribers) {
      done.add(runOn(subscriber.context(), () -> batches.forEach(subscriber.consumer())));
    }
    return awaitAll(done);
  }

  /**
   * Hands each command to the handlers of its kind, on their contexts, and waits until they have
   * run. A command for a zone this node does not own (which its own partitions cannot hold) is
   * logged and dropped.
   */
  private void deliverCommands(List<ZoneCommand> commands) throws InterruptedException {
    List<CompletableFuture<Void>> done = new ArrayList<>();
    for (ZoneCommand command : commands) {
      if (!ownership.owns(command.zone())) {
        LOG.warn("event=bus_command_not_owned zone={} kind={}", command.zone(), command.kind());
        continue;
      }
      for (CommandHandler handler : commandHandlers) {
        if (handler.kind().equals(command.kind())) {
          done.add(runOn(handler.context(), () -> handler.handler().accept(command)));
        }
      }
    }
    awaitAll(done);
  }

  private static CompletableFuture<Void> runOn(Context context, Runnable action) {
    CompletableFuture<Void> delivered = new CompletableFuture<>();
    context.runOnContext(
        v -> {
          try {
            action.run();
          } catch (RuntimeException e) {
            LOG.warn("event=bus_subscriber_failed error=\"{}\"", e.toString());
          } finally {
            delivered.complete(null);
          }
        });
    return delivered;
  }

  /** Waits until every delivery ran; false when the bus closed first. */
  private boolean awaitAll(List<CompletableFuture<Void>> done) throws InterruptedException {
    CompletableFuture<Void> all = CompletableFuture.allOf(done.toArray(CompletableFuture[]::new));
    while (!group.closing()) {
      try {
        all.get(1, TimeUnit.SECONDS);
        return true;
      } catch (TimeoutException e) {
        // a busy event loop: keep waiting unless the bus is closing
      } catch (ExecutionException e) {
        throw new IllegalStateException(e.getCause());
      }
    }
    return false;
  }

  /** Sends what is waiting, leaves the consumer group and closes the clients. Blocks. */
  public void close() {
    sender.close();
    group.close();
    events.close();
  }
}
