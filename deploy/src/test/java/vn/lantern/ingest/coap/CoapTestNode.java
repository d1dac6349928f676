package vn.lantern.ingest.coap;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.Map;
import vn.lantern.deploy.testing.TestNode;
import vn.lantern.ingest.IngestNode;

/**
 * A real node for CoAP tests ({@link TestNode}) with plain UDP enabled and the given response
 * deadline.
 */
final class CoapTestNode implements AutoCloseable {
  private final TestNode fixture;
  final IngestNode node;

  private CoapTestNode(TestNode fixture) {
    this.fixture = fixture;
    this.node = fixture.node().ingest();
  }

  static CoapTestNode start(Path dataDir, String influxUrl, String database, int deadlineMs)
      throws Exception {
    return start(dataDir, influxUrl, database, deadlineMs, Map.of());
  }

  /** A node with further settings, e.g. {@code coaps.cipherSuites}. */
  static CoapTestNode start(
      Path dataDir, String influxUrl, String database, int deadlineMs, Map<String, String> settings)
      throws Exception {
    TestNode.Builder builder =
        TestNode.builder(dataDir, influxUrl, database)
            .set("rules.seedRulePacks", false)
            .set("coap.insecure", "true")
            .set("coap.responseDeadlineMs", String.valueOf(deadlineMs))
            .setAll(settings);
    return new CoapTestNode(builder.start());
  }

  void register(JsonObject device) {
    fixture.register(device);
  }

  /** CoAP messages counted with this outcome so far. */
  double messages(String outcome) {
    return fixture
        .metrics()
        .value("lantern_ingest_messages_total", "protocol", "coap", "outcome", outcome);
  }

  /** Requests that reused a remembered message id and were taken as new so far. */
  double reusedMessageIds() {
    return fixture.metrics().value("lantern_coap_reused_message_ids_total");
  }

  String coapsUri(String path) {
    return "coaps://127.0.0.1:" + node.coapsPort() + path;
  }

  String coapUri(String pathAndQuery) {
    return "coap://127.0.0.1:" + node.coapPort() + pathAndQuery;
  }

  @Override
  public void close() throws Exception {
    fixture.close();
  }
}
