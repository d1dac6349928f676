package vn.lantern.sim.testing;

import java.nio.file.Path;
import vn.lantern.deploy.testing.TestNode;
import vn.lantern.testing.TestInflux;

/**
 * A real node in the test's JVM, assembled as in production ({@link TestNode}), writing to the
 * test's InfluxDB, addressed the way the simulator's command line takes it.
 */
public final class InProcessNode implements AutoCloseable {
  private final TestNode node;

  private InProcessNode(TestNode node) {
    this.node = node;
  }

  /** Starts a node whose state lives under {@code dataDir}. */
  public static InProcessNode start(TestInflux influx, Path dataDir) throws Exception {
    return new InProcessNode(TestNode.builder(dataDir.resolve("node"), influx).start());
  }

  public String apiUrl() {
    return node.apiUrl();
  }

  /** The token the node's API accepts for provisioning. */
  public String apiToken() {
    return TestNode.SERVICE_TOKEN;
  }

  public String mqttUri() {
    return node.mqttUri();
  }

  public String coapsUri() {
    return "coaps://127.0.0.1:" + node.coapsPort();
  }

  @Override
  public void close() throws Exception {
    node.close();
  }
}
