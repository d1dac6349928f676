package vn.lantern.sim.testing;

import java.nio.file.Path;
import vn.lantern.ingest.IngestNodeFixture;
import vn.lantern.testing.TestInflux;

/**
 * A real ingest node in the test's JVM ({@link IngestNodeFixture}) writing to the test's InfluxDB,
 * addressed the way the simulator's command line takes it.
 */
public final class InProcessNode implements AutoCloseable {
  private final IngestNodeFixture node;

  private InProcessNode(IngestNodeFixture node) {
    this.node = node;
  }

  /** Starts a node whose state lives under {@code dataDir}. */
  public static InProcessNode start(TestInflux influx, Path dataDir) {
    return new InProcessNode(
        IngestNodeFixture.start(dataDir.resolve("node"), influx.url(), influx.database()));
  }

  public String apiUrl() {
    return "http://127.0.0.1:" + node.httpPort();
  }

  public String mqttUri() {
    return node.mqttUri();
  }

  public String coapsUri() {
    return "coaps://127.0.0.1:" + node.node().coapsPort();
  }

  @Override
  public void close() {
    node.close();
  }
}
