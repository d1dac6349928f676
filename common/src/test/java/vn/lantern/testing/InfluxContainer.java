package vn.lantern.testing;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.InfluxDBContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The Docker fallback for {@link SharedInflux}. Kept in its own class so Testcontainers classes are
 * only loaded when this path is taken.
 */
final class InfluxContainer {

  // Latest 1.x image; the code under test talks the 1.x HTTP API / InfluxQL.
  private static final DockerImageName IMAGE = DockerImageName.parse("influxdb:1.8");

  private InfluxContainer() {}

  static boolean dockerAvailable() {
    try {
      return DockerClientFactory.instance().isDockerAvailable();
    } catch (RuntimeException | LinkageError e) {
      return false;
    }
  }

  static SharedInflux start() {
    // Auth off, like the influxd we start ourselves: TestInflux connects without credentials.
    InfluxDBContainer<?> container = new InfluxDBContainer<>(IMAGE).withAuthEnabled(false);
    container.start();
    return new SharedInflux(container.getUrl(), "testcontainers", container::stop);
  }
}
