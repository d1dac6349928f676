package vn.lantern.deploy.kafka;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * A real single-node Kafka (KRaft, combined broker and controller) in the test JVM, listening on a
 * free port of localhost. The internal topics get replication factor 1, as one broker requires.
 */
public final class KafkaBroker implements AutoCloseable {
  private final KafkaClusterTestKit cluster;
  private final Map<String, Object> clientProperties;

  private KafkaBroker(KafkaClusterTestKit cluster, Map<String, Object> clientProperties) {
    this.cluster = cluster;
    this.clientProperties = clientProperties;
  }

  /** Formats, starts and waits for the broker. */
  public static KafkaBroker start() throws Exception {
    return start(Map.of(), Map.of());
  }

  /**
   * Starts a broker whose client listener is SASL_SSL: it presents {@code serverCert}, requires a
   * client certificate from the CA in {@code caFile}, and takes SASL PLAIN logins of {@code user}.
   * The controller's own listener stays plain, inside the JVM.
   *
   * @param clientProperties the security settings of a client that may connect, for {@link
   *     #createTopic}
   */
  public static KafkaBroker startSecured(
      Path serverCert,
      Path serverKey,
      Path caFile,
      String user,
      String password,
      Map<String, Object> clientProperties)
      throws Exception {
    Map<String, Object> broker = new HashMap<>();
    broker.put("listener.security.protocol.map", "EXTERNAL:SASL_SSL,CONTROLLER:PLAINTEXT");
    broker.put("ssl.keystore.type", "PEM");
    broker.put("ssl.keystore.certificate.chain", Files.readString(serverCert));
    broker.put("ssl.keystore.key", Files.readString(serverKey));
    broker.put("ssl.truststore.type", "PEM");
    broker.put("ssl.truststore.certificates", Files.readString(caFile));
    // on a SASL_SSL listener only the listener-prefixed setting asks for client certificates
    broker.put("listener.name.external.ssl.client.auth", "required");
    broker.put("sasl.enabled.mechanisms", "PLAIN");
    broker.put("sasl.mechanism.inter.broker.protocol", "PLAIN");
    broker.put(
        "listener.name.external.plain.sasl.jaas.config",
        "org.apache.kafka.common.security.plain.PlainLoginModule required"
            + " username=\"broker\" password=\"broker-secret\""
            + " user_broker=\"broker-secret\""
            + " user_"
            + user
            + "=\""
            + password
            + "\";");
    return start(broker, clientProperties);
  }

  private static KafkaBroker start(
      Map<String, Object> brokerProperties, Map<String, Object> clientProperties) throws Exception {
    KafkaClusterTestKit.Builder builder =
        new KafkaClusterTestKit.Builder(
                new TestKitNodes.Builder()
                    .setCombined(true)
                    .setNumBrokerNodes(1)
                    .setNumControllerNodes(1)
                    .build())
            .setConfigProp("offsets.topic.replication.factor", "1")
            .setConfigProp("offsets.topic.num.partitions", "1")
            .setConfigProp("transaction.state.log.replication.factor", "1")
            .setConfigProp("transaction.state.log.min.isr", "1")
            .setConfigProp("group.initial.rebalance.delay.ms", "0");
    brokerProperties.forEach(builder::setConfigProp);
    KafkaClusterTestKit cluster = builder.build();
    try {
      cluster.format();
      cluster.startup();
      cluster.waitForReadyBrokers();
    } catch (Exception e) {
      cluster.close();
      throw e;
    }
    return new KafkaBroker(cluster, clientProperties);
  }

  public String bootstrap() {
    return cluster.bootstrapServers();
  }

  /** Creates a topic with {@code partitions} partitions and waits until it exists. */
  public void createTopic(String name, int partitions) throws Exception {
    Map<String, Object> admin = new HashMap<>(clientProperties);
    admin.put("bootstrap.servers", bootstrap());
    try (Admin client = Admin.create(admin)) {
      client
          .createTopics(List.of(new NewTopic(name, partitions, (short) 1)))
          .all()
          .get(30, TimeUnit.SECONDS);
    }
  }

  /** Grows a topic to {@code partitions} partitions and waits until it has them. */
  public void addPartitions(String name, int partitions) throws Exception {
    Map<String, Object> admin = new HashMap<>(clientProperties);
    admin.put("bootstrap.servers", bootstrap());
    try (Admin client = Admin.create(admin)) {
      client
          .createPartitions(Map.of(name, NewPartitions.increaseTo(partitions)))
          .all()
          .get(30, TimeUnit.SECONDS);
    }
  }

  @Override
  public void close() throws Exception {
    cluster.close();
  }
}
