package vn.lantern.deploy.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import vn.lantern.common.influx.InfluxSettings;
import vn.lantern.common.telemetry.DeviceRef;
import vn.lantern.common.telemetry.Reading;
import vn.lantern.common.telemetry.TelemetryBatch;
import vn.lantern.ingest.store.TelemetryStore;
import vn.lantern.testing.InfluxDbExtension;
import vn.lantern.testing.TestInflux;

/**
 * The InfluxDB writer group against a real Kafka broker and a real InfluxDB: offsets are committed
 * only once InfluxDB has the readings, and a chunk read again (offsets reset, as after a crash
 * before the commit or a rebalance) overwrites itself instead of being counted twice.
 */
@ExtendWith(InfluxDbExtension.class)
class KafkaInfluxWriterTest {
  private static final String TOPIC = "lantern.readings.writer-test";
  private static final String GROUP = "writer-test";
  private static final int PARTITIONS = 3;
  private static final int BATCHES = 30;
  private static final List<String> ZONES = List.of("hoi-an", "tam-ky", "dien-ban");

  private static KafkaBroker broker;
  private static Vertx vertx;

  @BeforeAll
  static void startBroker() throws Exception {
    broker = KafkaBroker.start();
    broker.createTopic(TOPIC, PARTITIONS);
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stopBroker() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    broker.close();
  }

  @Test
  void offsetsFollowTheWritesAndRedeliveryStoresEachReadingOnce(TestInflux influx)
      throws Exception {
    KafkaSettings settings = new KafkaSettings(broker.bootstrap(), TOPIC, "unused", GROUP);
    long t0 = System.currentTimeMillis() - 60_000;
    KafkaTelemetryBus producer = new KafkaTelemetryBus(vertx, settings, new SimpleMeterRegistry());
    try {
      List<Future<Void>> sent = new ArrayList<>();
      for (int i = 0; i < BATCHES; i++) {
        String zone = ZONES.get(i % ZONES.size());
        sent.add(
            producer.accept(
                new TelemetryBatch(
                    new DeviceRef("wl-" + i, "water_level", zone, "Trạm " + zone),
                    List.of(new Reading("level", i / 10.0, t0 + i)),
                    "mqtt")));
      }
      Future.all(sent).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } finally {
      producer.close();
    }

    // InfluxDB unreachable: the member owns every partition, reads, but commits nothing
    try (TelemetryStore deadStore = store(deadInfluxUrl(), influx.database());
        KafkaInfluxWriter waiting =
            new KafkaInfluxWriter(settings, deadStore, new SimpleMeterRegistry()).start()) {
      await(() -> waiting.assignedPartitions() == PARTITIONS, "the writer owns the partitions");
      await(() -> deadStore.writeFailure() != null, "the writer tries InfluxDB");
      assertEquals(0, committed(), "no offset committed before InfluxDB has the readings");
    }

    try (TelemetryStore store = store(influx.url(), influx.database());
        KafkaInfluxWriter writer =
            new KafkaInfluxWriter(settings, store, new SimpleMeterRegistry()).start()) {
      await(() -> committed() == BATCHES, "the writer commits every record");
      assertEquals(BATCHES, influx.count("water_level"));
    }

    // read everything again, as a new owner does after a crash before its commit
    resetOffsets();
    assertEquals(0, committed());
    try (TelemetryStore store = store(influx.url(), influx.database());
        KafkaInfluxWriter writer =
            new KafkaInfluxWriter(settings, store, new SimpleMeterRegistry()).start()) {
      await(() -> committed() == BATCHES, "the writer commits every record again");
      assertEquals(BATCHES, influx.count("water_level"), "each reading stored exactly once");
    }
  }

  private static TelemetryStore store(String url, String database) {
    return new TelemetryStore(
        InfluxSettings.defaults().withServer(url, database), new SimpleMeterRegistry());
  }

  private static String deadInfluxUrl() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return "http://127.0.0.1:" + socket.getLocalPort();
    }
  }

  /** Sum of the writer group's committed offsets over the topic's partitions. */
  private static long committed() {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrap()))) {
      Map<TopicPartition, OffsetAndMetadata> offsets =
          admin
              .listConsumerGroupOffsets(GROUP)
              .partitionsToOffsetAndMetadata()
              .get(30, TimeUnit.SECONDS);
      return offsets.values().stream()
          .filter(o -> o != null)
          .mapToLong(OffsetAndMetadata::offset)
          .sum();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static void resetOffsets() throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrap()))) {
      Map<TopicPartition, OffsetAndMetadata> start = new java.util.HashMap<>();
      for (int p = 0; p < PARTITIONS; p++) {
        start.put(new TopicPartition(TOPIC, p), new OffsetAndMetadata(0));
      }
      // the group is empty now; a member that just left may still be seen for a moment
      long deadline = System.currentTimeMillis() + 30_000;
      while (true) {
        try {
          admin.alterConsumerGroupOffsets(GROUP, start).all().get(30, TimeUnit.SECONDS);
          return;
        } catch (java.util.concurrent.ExecutionException e) {
          if (System.currentTimeMillis() > deadline) {
            throw e;
          }
          Thread.sleep(200);
        }
      }
    }
  }

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.currentTimeMillis() + Duration.ofSeconds(60).toMillis();
    while (!condition.getAsBoolean()) {
      assertTrue(System.currentTimeMillis() < deadline, "timed out waiting until " + what);
      Thread.sleep(100);
    }
  }
}
