package vn.lantern.deploy.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import vn.lantern.common.bus.ZoneEvent;
import vn.lantern.common.telemetry.DeviceRef;
import vn.lantern.common.telemetry.Reading;
import vn.lantern.common.telemetry.TelemetryBatch;

/** The Kafka telemetry bus against a real in-JVM broker. */
class KafkaTelemetryBusTest {
  private static final String TOPIC = "lantern.readings.bus-test";
  private static KafkaBroker broker;

  @BeforeAll
  static void startBroker() throws Exception {
    broker = KafkaBroker.start();
    broker.createTopic(TOPIC, 3);
  }

  @AfterAll
  static void stopBroker() throws Exception {
    broker.close();
  }

  @Test
  void batchesRoundTripKeyedByZoneAndArriveOnTheSubscribersContext() throws Exception {
    Vertx vertx = Vertx.vertx();
    KafkaSettings settings =
        new KafkaSettings(broker.bootstrap(), TOPIC, "bus-test", "bus-test-writers");
    KafkaTelemetryBus publisher = new KafkaTelemetryBus(vertx, settings, new SimpleMeterRegistry());
    KafkaTelemetryBus subscriber =
        new KafkaTelemetryBus(vertx, settings, new SimpleMeterRegistry());
    try {
      List<TelemetryBatch> received = new CopyOnWriteArrayList<>();
      List<Boolean> onEventLoop = new CopyOnWriteArrayList<>();
      vertx.runOnContext(
          v ->
              subscriber.subscribe(
                  batch -> {
                    onEventLoop.add(Context.isOnEventLoopThread());
                    received.add(batch);
                  }));
      await(() -> subscriber.assignedPartitions() == 3, "the subscriber owns the 3 partitions");

      List<TelemetryBatch> sent = new ArrayList<>();
      long now = System.currentTimeMillis();
      for (int i = 0; i < 6; i++) {
        String zone = i % 2 == 0 ? "hoi-an" : "tam-ky";
        sent.add(
            new TelemetryBatch(
                new DeviceRef("dev-" + i, "water_level", zone, "Trạm Hội An"),
                List.of(new Reading("level", 1.0 + i, now + i), new Reading("battery", 3.6, now)),
                "mqtt"));
      }
      sent.forEach(publisher::publish);

      await(() -> received.size() == sent.size(), "every batch is delivered");
      assertEquals(sorted(sent), sorted(received));
      assertTrue(onEventLoop.stream().allMatch(b -> b), "delivered on a Vert.x event loop");
      assertZonesKeepOnePartition();
    } finally {
      publisher.close();
      subscriber.close();
      vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }
  }

  /**
   * A cluster event reaches every other node once, on the context its handler was registered from,
   * and never comes back to the node that published it (which showed it already).
   */
  @Test
  void eventsReachEveryOtherNodeOnceAndNeverTheirPublisher() throws Exception {
    Vertx vertx = Vertx.vertx();
    KafkaSettings settings =
        new KafkaSettings(
            broker.bootstrap(),
            TOPIC,
            "events-test",
            "events-test-writers",
            KafkaSecurity.none(),
            "lantern.events.bus-test");
    KafkaTelemetryBus first = new KafkaTelemetryBus(vertx, settings, new SimpleMeterRegistry());
    KafkaTelemetryBus second = new KafkaTelemetryBus(vertx, settings, new SimpleMeterRegistry());
    try {
      Map<KafkaTelemetryBus, List<String>> received = new HashMap<>();
      List<Boolean> onEventLoop = new CopyOnWriteArrayList<>();
      for (KafkaTelemetryBus bus : List.of(first, second)) {
        List<String> events = new CopyOnWriteArrayList<>();
        received.put(bus, events);
        vertx.runOnContext(
            v ->
                bus.onEvent(
                    "test",
                    event -> {
                      onEventLoop.add(Context.isOnEventLoopThread());
                      events.add(event.zone() + ":" + event.body().getString("n"));
                    }));
      }
      // both feeds follow the topic from its end: probe until each gets the other's events
      for (int probe = 0;
          received.get(first).isEmpty() || received.get(second).isEmpty();
          probe++) {
        first.publishEvent(new ZoneEvent("probe", "test", new JsonObject().put("n", "a" + probe)));
        second.publishEvent(new ZoneEvent("probe", "test", new JsonObject().put("n", "b" + probe)));
        assertTrue(probe < 300, "the feeds follow the events topic within a minute");
        Thread.sleep(200);
      }

      for (int i = 0; i < 3; i++) {
        first.publishEvent(new ZoneEvent("hoi-an", "test", new JsonObject().put("n", "a" + i)));
        second.publishEvent(new ZoneEvent("tam-ky", "test", new JsonObject().put("n", "b" + i)));
        first.publishEvent(new ZoneEvent("hoi-an", "other", new JsonObject().put("n", "x" + i)));
      }
      await(
          () -> !fewerThanThree(received.get(first)) && !fewerThanThree(received.get(second)),
          "each node gets the other's events");
      Thread.sleep(
          1000); // an event delivered twice, or back to its publisher, would be here by now
      assertEquals(List.of("tam-ky:b0", "tam-ky:b1", "tam-ky:b2"), withoutProbes(received, first));
      assertEquals(List.of("hoi-an:a0", "hoi-an:a1", "hoi-an:a2"), withoutProbes(received, second));
      assertTrue(
          received.get(first).stream().noneMatch(e -> e.contains(":a")),
          "the first node never gets its own events: " + received.get(first));
      assertTrue(
          received.get(second).stream().noneMatch(e -> e.contains(":b")),
          "the second node never gets its own events: " + received.get(second));
      assertTrue(onEventLoop.stream().allMatch(b -> b), "delivered on a Vert.x event loop");
    } finally {
      first.close();
      second.close();
      vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }
  }

  /**
   * Partitions added to the events topic while a node reads it are read too: an event another node
   * publishes into one of them reaches it.
   */
  @Test
  void eventsOfPartitionsAddedWhileTheFeedRunsArrive() throws Exception {
    String events = "lantern.events.grow-test";
    broker.createTopic(events, 1);
    Vertx vertx = Vertx.vertx();
    KafkaSettings settings =
        new KafkaSettings(
            broker.bootstrap(),
            TOPIC,
            "grow-test",
            "grow-test-writers",
            KafkaSecurity.none(),
            events);
    KafkaTelemetryBus reader = new KafkaTelemetryBus(vertx, settings, new SimpleMeterRegistry());
    KafkaTelemetryBus publisher = null;
    try {
      List<String> received = new CopyOnWriteArrayList<>();
      vertx.runOnContext(v -> reader.onEvent("test", event -> received.add(event.zone())));
      await(
          () -> reader.health().getJsonObject("events").getInteger("partitions") == 1,
          "the feed follows the topic's one partition");
      broker.addPartitions(events, 4);
      String zone =
          List.of("hoi-an", "tam-ky", "dien-ban", "da-nang").stream()
              .filter(z -> KafkaTelemetryBus.partitionOf(z, 4) != 0)
              .findFirst()
              .orElseThrow();
      // a node started after the topic grew: its producer sends to the new partitions
      publisher = new KafkaTelemetryBus(vertx, settings, new SimpleMeterRegistry());
      for (int probe = 0; !received.contains(zone); probe++) {
        publisher.publishEvent(new ZoneEvent(zone, "test", new JsonObject()));
        assertTrue(probe < 300, "the feed reads the added partitions within a minute");
        Thread.sleep(200);
      }
      assertEquals(4, reader.health().getJsonObject("events").getInteger("partitions"));
    } finally {
      if (publisher != null) {
        publisher.close();
      }
      reader.close();
      vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }
  }

  /** Whether fewer than the three events of the other node came yet. */
  private static boolean fewerThanThree(List<String> events) {
    return events.stream().filter(e -> !e.startsWith("probe:")).count() < 3;
  }

  private static List<String> withoutProbes(
      Map<KafkaTelemetryBus, List<String>> received, KafkaTelemetryBus bus) {
    return received.get(bus).stream().filter(e -> !e.startsWith("probe:")).toList();
  }

  @Test
  void poisonRecordsNeverStopTheConsumerAndHealthSaysSo() throws Exception {
    String topic = "lantern.readings.poison-test";
    broker.createTopic(topic, 1);
    Vertx vertx = Vertx.vertx();
    KafkaSettings settings =
        new KafkaSettings(broker.bootstrap(), topic, "poison-test", "poison-test-writers");
    KafkaTelemetryBus bus = new KafkaTelemetryBus(vertx, settings, new SimpleMeterRegistry());
    try (KafkaProducer<String, byte[]> raw =
        new KafkaProducer<>(
            Map.of("bootstrap.servers", broker.bootstrap()),
            new StringSerializer(),
            new ByteArraySerializer())) {
      List<TelemetryBatch> received = new CopyOnWriteArrayList<>();
      vertx.runOnContext(v -> bus.subscribe(received::add));
      await(() -> bus.assignedPartitions() == 1, "the subscriber owns the partition");

      // a tombstone (null value) and bytes of a foreign producer, then a good batch
      raw.send(new ProducerRecord<>(topic, "hoi-an", null)).get(10, TimeUnit.SECONDS);
      raw.send(new ProducerRecord<>(topic, "hoi-an", new byte[] {(byte) 0xff, 0}))
          .get(10, TimeUnit.SECONDS);
      TelemetryBatch good =
          new TelemetryBatch(
              new DeviceRef("after-poison", "water_level", "hoi-an", "Trạm Hội An"),
              List.of(new Reading("level", 1.5, System.currentTimeMillis())),
              "mqtt");
      bus.publish(good);

      await(() -> received.contains(good), "the batch after the poison is delivered");
      assertEquals("UP", bus.health().getString("status"), bus.health().encode());
    } finally {
      bus.close();
      vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void recordsOfAnotherVersionAreSkippedNotFatal() throws Exception {
    TelemetryBatch batch =
        new TelemetryBatch(
            new DeviceRef("d", "air_quality", "tam-ky", "Công viên"),
            List.of(new Reading("pm25", 12.5, 1_700_000_000_000L)),
            "coap");
    assertEquals(batch, BatchCodec.decode(BatchCodec.encode(batch)));
    String future = new String(BatchCodec.encode(batch)).replace("\"v\":1", "\"v\":2");
    try {
      BatchCodec.decode(future.getBytes());
      throw new AssertionError("version 2 must be refused");
    } catch (java.io.IOException expected) {
      assertTrue(expected.getMessage().contains("version"), expected.getMessage());
    }
  }

  /** Reads the topic from the start: each zone key lives on exactly one partition. */
  private static void assertZonesKeepOnePartition() {
    Map<String, Integer> partitionOfZone = new HashMap<>();
    int records = 0;
    try (KafkaConsumer<String, byte[]> reader =
        new KafkaConsumer<>(
            Map.of("bootstrap.servers", broker.bootstrap()),
            new StringDeserializer(),
            new ByteArrayDeserializer())) {
      List<TopicPartition> partitions =
          List.of(
              new TopicPartition(TOPIC, 0),
              new TopicPartition(TOPIC, 1),
              new TopicPartition(TOPIC, 2));
      reader.assign(partitions);
      reader.seekToBeginning(partitions);
      long deadline = System.currentTimeMillis() + 30_000;
      while (records < 6 && System.currentTimeMillis() < deadline) {
        for (ConsumerRecord<String, byte[]> r : reader.poll(Duration.ofMillis(500))) {
          records++;
          Integer previous = partitionOfZone.putIfAbsent(r.key(), r.partition());
          assertEquals(
              previous == null ? r.partition() : previous, r.partition(), "zone " + r.key());
        }
      }
    }
    assertEquals(6, records);
    assertEquals(java.util.Set.of("hoi-an", "tam-ky"), partitionOfZone.keySet());
  }

  private static List<TelemetryBatch> sorted(List<TelemetryBatch> batches) {
    return batches.stream().sorted((a, b) -> a.device().id().compareTo(b.device().id())).toList();
  }

  private static void await(java.util.function.BooleanSupplier condition, String what)
      throws InterruptedException {
    long deadline = System.currentTimeMillis() + 30_000;
    while (!condition.getAsBoolean()) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("timed out waiting until " + what);
      }
      Thread.sleep(50);
    }
  }
}
