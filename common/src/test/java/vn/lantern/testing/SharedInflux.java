package vn.lantern.testing;

import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one InfluxDB server shared by all test classes of a JVM. {@link InfluxDbExtension} keeps it
 * in the JUnit root store, so JUnit closes it when the test run ends.
 */
// CloseableResource is deprecated since JUnit 5.13 (which closes AutoCloseable store values
// itself) but is kept so a run with store.close.autocloseable disabled still stops the server.
@SuppressWarnings("deprecation")
final class SharedInflux implements AutoCloseable, ExtensionContext.Store.CloseableResource {

  private static final Logger log = LoggerFactory.getLogger(SharedInflux.class);

  static final String URL_ENV = "LANTERN_TEST_INFLUX_URL";

  private final String url;
  private final String source;
  private final AutoCloseable server;
  private final AtomicBoolean closed = new AtomicBoolean();

  SharedInflux(String url, String source, AutoCloseable server) {
    this.url = url;
    this.source = source;
    this.server = server;
  }

  /**
   * Finds or starts a server: {@value #URL_ENV}, else influxd from PATH, else a Testcontainers
   * InfluxDB 1.8 container if Docker is reachable, else fails with installation instructions.
   */
  static SharedInflux start() {
    String envUrl = System.getenv(URL_ENV);
    if (envUrl != null && !envUrl.isBlank()) {
      String url = envUrl.strip().replaceAll("/+$", "");
      if (!InfluxdProcess.ping(url)) {
        throw new IllegalStateException(
            URL_ENV + "=" + url + " is set but GET " + url + "/ping does not answer 204");
      }
      return started(new SharedInflux(url, "env", () -> {}));
    }
    if (InfluxdProcess.findInfluxd().isPresent()) {
      InfluxdProcess influxd = InfluxdProcess.start();
      return started(new SharedInflux(influxd.url(), "influxd", influxd));
    }
    // Checked last: probing Docker is slow and noisy, and the module using the harness may not
    // have testcontainers on its test classpath at all.
    if (testcontainersPresent() && InfluxContainer.dockerAvailable()) {
      return started(InfluxContainer.start());
    }
    throw new IllegalStateException(
        "No InfluxDB server for tests: "
            + URL_ENV
            + " is not set, influxd is not on PATH and no Docker engine is reachable. "
            + InfluxdProcess.INSTALL_HINT);
  }

  String url() {
    return url;
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      log.info("test influx closing source={} url={}", source, url);
      try {
        server.close();
      } catch (Exception e) {
        throw new IllegalStateException("cannot stop test influx source=" + source, e);
      }
    }
  }

  private static SharedInflux started(SharedInflux shared) {
    log.info("test influx ready source={} url={}", shared.source, shared.url);
    return shared;
  }

  private static boolean testcontainersPresent() {
    try {
      Class.forName(
          "org.testcontainers.containers.InfluxDBContainer",
          false,
          SharedInflux.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }
}
