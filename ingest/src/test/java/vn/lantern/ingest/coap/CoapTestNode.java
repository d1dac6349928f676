package vn.lantern.ingest.coap;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.Map;
import vn.lantern.ingest.IngestNode;
import vn.lantern.ingest.IngestNodeFixture;

/**
 * A real ingest node for CoAP tests ({@link IngestNodeFixture}) with plain UDP enabled and the
 * given response deadline.
 */
final class CoapTestNode implements AutoCloseable {
  private final IngestNodeFixture fixture;
  final IngestNode node;

  private CoapTestNode(IngestNodeFixture fixture) {
    this.fixture = fixture;
    this.node = fixture.node();
  }

  static CoapTestNode start(Path dataDir, String influxUrl, String database, int deadlineMs) {
    return new CoapTestNode(
        IngestNodeFixture.start(
            dataDir,
            influxUrl,
            database,
            0,
            Map.of(
                "coap.insecure", "true", "coap.responseDeadlineMs", String.valueOf(deadlineMs))));
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

  String coapsUri(String path) {
    return "coaps://127.0.0.1:" + node.coapsPort() + path;
  }

  String coapUri(String pathAndQuery) {
    return "coap://127.0.0.1:" + node.coapPort() + pathAndQuery;
  }

  @Override
  public void close() {
    fixture.close();
  }
}
