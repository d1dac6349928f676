package vn.lantern.deploy.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.lantern.common.telemetry.DeviceRef;
import vn.lantern.common.telemetry.Reading;
import vn.lantern.common.telemetry.TelemetryBatch;
import vn.lantern.ingest.tls.CertificateAuthority;

/**
 * The Kafka bus against a real broker whose listener is SASL_SSL with client certificates required:
 * certificates from the node's CA command, a PEM CA file, a client certificate and a SASL PLAIN
 * login, all from {@link KafkaSecurity}. A wrong password or a missing client certificate is
 * refused by the broker.
 */
class KafkaSecurityTest {
  private static final String TOPIC = "lantern.readings.secured";
  private static final String USER = "lantern-node";
  private static final String PASSWORD = "kafka-password-for-tests";

  @TempDir static Path dir;
  private static KafkaBroker broker;
  private static Path caFile;
  private static Path clientCert;
  private static Path clientKey;

  @BeforeAll
  static void startBroker() throws Exception {
    CertificateAuthority ca = CertificateAuthority.create("Kafka test CA", Duration.ofDays(2));
    caFile = dir.resolve("ca.pem");
    ca.asIssued().write(caFile, dir.resolve("ca.key"));
    Path serverCert = dir.resolve("broker.pem");
    Path serverKey = dir.resolve("broker.key");
    ca.issueServerAndClient(List.of("localhost", "127.0.0.1"), Duration.ofDays(1))
        .write(serverCert, serverKey);
    clientCert = dir.resolve("node.pem");
    clientKey = dir.resolve("node.key");
    ca.issueDevice(USER, Duration.ofDays(1)).write(clientCert, clientKey);
    broker =
        KafkaBroker.startSecured(
            serverCert,
            serverKey,
            caFile,
            USER,
            PASSWORD,
            security(PASSWORD, true).clientProperties());
    broker.createTopic(TOPIC, 1);
  }

  @AfterAll
  static void stopBroker() throws Exception {
    if (broker != null) {
      broker.close();
    }
  }

  @Test
  void batchesRoundTripOverSaslSslWithAClientCertificate() throws Exception {
    Vertx vertx = Vertx.vertx();
    KafkaSettings settings =
        new KafkaSettings(broker.bootstrap(), TOPIC, "secured-test", security(PASSWORD, true));
    KafkaTelemetryBus publisher = new KafkaTelemetryBus(vertx, settings, new SimpleMeterRegistry());
    KafkaTelemetryBus subscriber =
        new KafkaTelemetryBus(vertx, settings, new SimpleMeterRegistry());
    try {
      List<TelemetryBatch> received = new CopyOnWriteArrayList<>();
      vertx.runOnContext(v -> subscriber.subscribe(received::add));
      await(() -> subscriber.assignedPartitions() == 1, "the subscriber owns the partition");
      TelemetryBatch batch =
          new TelemetryBatch(
              new DeviceRef("secured-1", "water_level", "hoi-an", "Trạm Hội An"),
              List.of(new Reading("level", 1.25, System.currentTimeMillis())),
              "mqtt");
      publisher.publish(batch);
      await(() -> received.contains(batch), "the batch is delivered");
      assertEquals(List.of(batch), received);
    } finally {
      publisher.close();
      subscriber.close();
      vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void aWrongPasswordIsRefused() {
    ExecutionException e =
        assertThrows(ExecutionException.class, () -> listTopics(security("wrong", true)));
    assertTrue(e.getCause() instanceof SaslAuthenticationException, e.toString());
  }

  @Test
  void aClientWithoutCertificateIsRefused() {
    ExecutionException e =
        assertThrows(ExecutionException.class, () -> listTopics(security(PASSWORD, false)));
    assertTrue(e.getCause() instanceof SslAuthenticationException, e.toString());
  }

  @Test
  void unknownProtocolsAndMissingUsernamesFailAtStart() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new KafkaSecurity("TLS", "", "", "", "", "", "").clientProperties());
    assertThrows(
        IllegalArgumentException.class,
        () -> new KafkaSecurity("SASL_SSL", "", "", "", "PLAIN", "", "x").clientProperties());
    assertThrows(
        IllegalArgumentException.class,
        () -> new KafkaSecurity("SASL_SSL", "", "", "", "GSSAPI", "user", "x").clientProperties());
  }

  private static KafkaSecurity security(String password, boolean withCertificate) {
    return new KafkaSecurity(
        "SASL_SSL",
        caFile.toString(),
        withCertificate ? clientCert.toString() : "",
        withCertificate ? clientKey.toString() : "",
        "PLAIN",
        USER,
        password);
  }

  private static void listTopics(KafkaSecurity security) throws Exception {
    Map<String, Object> config =
        new KafkaSettings(broker.bootstrap(), TOPIC, "unused", security).clientProperties();
    config.put("default.api.timeout.ms", 15_000);
    config.put("request.timeout.ms", 5_000);
    try (Admin admin = Admin.create(config)) {
      admin.listTopics().names().get(20, TimeUnit.SECONDS);
    }
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
