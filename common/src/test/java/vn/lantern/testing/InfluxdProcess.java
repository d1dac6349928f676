package vn.lantern.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real {@code influxd} (InfluxDB 1.x) process owned by the test, for tests that need to control
 * the server's lifecycle (outages, restarts). It lives in its own temporary directory (config,
 * meta, data, WAL and {@code influxd.log}) and listens on 127.0.0.1 on a free port.
 *
 * <pre>{@code
 * try (InfluxdProcess influxd = InfluxdProcess.start()) {
 *   // point the code under test at influxd.url(), write some points ...
 *   influxd.stop();    // outage: /ping is refused until restart
 *   influxd.restart(); // same port, same data directory: the points are still there
 * }
 * }</pre>
 *
 * <p>The process is also killed, and its directory deleted, by a JVM shutdown hook in case a test
 * forgets to {@link #close()} it. Most tests don't need this class: use {@link InfluxDbExtension},
 * which shares one server per JVM.
 */
public final class InfluxdProcess implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(InfluxdProcess.class);

  static final String INSTALL_HINT =
      "Install InfluxDB 1.x so that 'influxd' is on PATH (Debian/Ubuntu: sudo apt-get install"
          + " influxdb), or point the tests at a running InfluxDB 1.x server with"
          + " LANTERN_TEST_INFLUX_URL=http://127.0.0.1:8086";

  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration STOP_GRACE = Duration.ofSeconds(5);
  // Free ports are picked by binding port 0 and releasing it, so another process may grab the port
  // before influxd binds it; a few retries with fresh ports make that race harmless.
  private static final int BIND_ATTEMPTS = 5;
  private static final int LOG_TAIL_LINES = 30;

  private final Path binary;
  private final Path dir;
  private final Path logFile;
  private final Thread shutdownHook;
  private final boolean authEnabled;
  private int httpPort;
  private int rpcPort;
  private Process process;
  private boolean closed;

  private InfluxdProcess(Path binary, Path dir, boolean authEnabled) {
    this.binary = binary;
    this.dir = dir;
    this.authEnabled = authEnabled;
    this.logFile = dir.resolve("influxd.log");
    this.shutdownHook = new Thread(this::closeOnShutdown, "influxd-shutdown-" + dir.getFileName());
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /**
   * Starts a fresh influxd in a new temporary directory on a free 127.0.0.1 port and waits until it
   * answers {@code GET /ping}.
   *
   * @throws IllegalStateException if influxd is not installed (the message says how to install it)
   *     or does not become ready within 30 s (the message contains the tail of its log)
   */
  public static InfluxdProcess start() {
    return start(false);
  }

  /**
   * Starts a fresh influxd like {@link #start()} with HTTP authentication on, and creates the admin
   * user {@code user} with {@code password} (InfluxDB lets the first admin be created without
   * credentials). Every later request must carry credentials, except {@code /ping}.
   */
  public static InfluxdProcess startWithAuth(String user, String password) {
    InfluxdProcess influxd = start(true);
    try {
      influxd.createFirstAdmin(user, password);
      return influxd;
    } catch (RuntimeException e) {
      influxd.close();
      throw e;
    }
  }

  private static InfluxdProcess start(boolean authEnabled) {
    Path binary =
        findInfluxd()
            .orElseThrow(
                () -> new IllegalStateException("influxd not found on PATH. " + INSTALL_HINT));
    Path dir;
    try {
      dir = Files.createTempDirectory("lantern-influxd-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temp dir for influxd", e);
    }
    InfluxdProcess influxd = new InfluxdProcess(binary, dir, authEnabled);
    try {
      influxd.launch(true);
      return influxd;
    } catch (RuntimeException e) {
      influxd.close();
      throw e;
    }
  }

  /** Base URL of the HTTP API, e.g. {@code http://127.0.0.1:41234} (no trailing slash). */
  public String url() {
    return "http://127.0.0.1:" + httpPort;
  }

  /** {@code host:port} of the RPC service that {@code influxd backup} and {@code restore} use. */
  public String rpcAddress() {
    return "127.0.0.1:" + rpcPort;
  }

  /** HTTP API port; it stays the same across {@link #restart()}. */
  public int port() {
    return httpPort;
  }

  /**
   * Stops the server: SIGTERM, then SIGKILL if it has not exited after 5 s; returns once the
   * process is gone, so connections to {@link #url()} are refused. Data stays on disk. No-op if
   * already stopped.
   */
  public synchronized void stop() {
    if (process == null) {
      return;
    }
    Process p = process;
    process = null;
    boolean forced = false;
    p.destroy(); // SIGTERM: influxd closes its shards and WAL cleanly
    try {
      if (!p.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
        forced = true;
        p.destroyForcibly();
        p.waitFor();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
    }
    log.info(
        "influxd stopped port={} pid={} exitCode={} forced={}",
        httpPort,
        p.pid(),
        p.isAlive() ? "?" : p.exitValue(),
        forced);
  }

  /**
   * Freezes the server (SIGSTOP): connections stay open and requests hang unanswered, as when
   * InfluxDB stalls, until {@link #resume()}.
   */
  public synchronized void pause() {
    signal("-STOP");
  }

  /** Lets a paused server run on (SIGCONT). */
  public synchronized void resume() {
    signal("-CONT");
  }

  private void signal(String signal) {
    if (process == null) {
      throw new IllegalStateException("influxd is not running");
    }
    try {
      int exit =
          new ProcessBuilder("kill", signal, Long.toString(process.pid()))
              .inheritIO()
              .start()
              .waitFor();
      if (exit != 0) {
        throw new IllegalStateException("kill " + signal + " failed with exit code " + exit);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * Starts the server again on the same port with the same data directory, so everything written
   * before {@link #stop()} is visible again. Stops it first if it is still running.
   *
   * @throws IllegalStateException if it was closed, or does not become ready (e.g. another process
   *     took the port in the meantime)
   */
  public synchronized void restart() {
    if (closed) {
      throw new IllegalStateException("influxd was closed: " + dir);
    }
    stop();
    launch(false);
  }

  /** Stops the server and deletes its temporary directory. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    stop();
    deleteDir();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException shuttingDown) {
      // close() is running from the hook itself or during JVM shutdown: nothing to unregister
    }
  }

  @Override
  public String toString() {
    return "InfluxdProcess[" + url() + ", dir=" + dir + "]";
  }

  /** Returns influxd's path if it is an executable on PATH. */
  static Optional<Path> findInfluxd() {
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    return Stream.of(path.split(File.pathSeparator))
        .filter(entry -> !entry.isEmpty())
        .map(entry -> Path.of(entry, "influxd"))
        .filter(Files::isExecutable)
        .findFirst();
  }

  /** True if {@code GET url/ping} answers 204, InfluxDB 1.x's liveness check. */
  static boolean ping(String url) {
    try {
      HttpURLConnection conn =
          (HttpURLConnection) URI.create(url + "/ping").toURL().openConnection();
      conn.setConnectTimeout(1000);
      conn.setReadTimeout(2000);
      try {
        return conn.getResponseCode() == 204;
      } finally {
        conn.disconnect();
      }
    } catch (IOException e) {
      return false;
    }
  }

  private void createFirstAdmin(String user, String password) {
    String statement =
        "CREATE USER \""
            + user
            + "\" WITH PASSWORD '"
            + password.replace("'", "\\'")
            + "'"
            + " WITH ALL PRIVILEGES";
    try {
      HttpURLConnection conn =
          (HttpURLConnection) URI.create(url() + "/query").toURL().openConnection();
      conn.setRequestMethod("POST");
      conn.setDoOutput(true);
      conn.setRequestProperty("content-type", "application/x-www-form-urlencoded");
      conn.getOutputStream()
          .write(
              ("q=" + URLEncoder.encode(statement, StandardCharsets.UTF_8))
                  .getBytes(StandardCharsets.UTF_8));
      int status = conn.getResponseCode();
      if (status != 200) {
        throw new IllegalStateException("influxd refused to create the admin user: " + status);
      }
      conn.disconnect();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the admin user on " + url(), e);
    }
  }

  /** Launches influxd and waits for /ping; retries with fresh ports if a port was taken. */
  private void launch(boolean newHttpPort) {
    for (int attempt = 1; ; attempt++) {
      if (newHttpPort || httpPort == 0) {
        httpPort = freePort(0);
      }
      // restart() keeps the HTTP port (clients are configured with it) but the RPC port
      // (used only by backup/restore) may be taken in the meantime, so it is always fresh.
      rpcPort = freePort(httpPort);
      String startMarker = "=== lantern test harness: launch attempt " + attempt + " ===";
      long startNanos = System.nanoTime();
      process = spawn(startMarker);
      String failure = awaitReady();
      if (failure == null) {
        log.info(
            "influxd started url={} pid={} dir={} startupMs={}",
            url(),
            process.pid(),
            dir,
            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
        return;
      }
      stop();
      String attemptLog = logSince(startMarker);
      if (attemptLog.contains("address already in use") && attempt < BIND_ATTEMPTS) {
        log.warn(
            "influxd port taken, retrying httpPort={} rpcPort={} attempt={}",
            httpPort,
            rpcPort,
            attempt);
        continue;
      }
      throw new IllegalStateException(
          "influxd did not start ("
              + failure
              + ") url="
              + url()
              + " dir="
              + dir
              + "; last lines of "
              + logFile
              + ":\n"
              + tail(attemptLog));
    }
  }

  private Process spawn(String startMarker) {
    try {
      Path config = dir.resolve("influxd.conf");
      Files.writeString(config, config(), StandardCharsets.UTF_8);
      Files.writeString(
          logFile,
          startMarker + System.lineSeparator(),
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
      ProcessBuilder pb =
          new ProcessBuilder(binary.toString(), "run", "-config", config.toString())
              .directory(dir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
      // influxd 1.x applies INFLUXDB_* environment variables on top of the config file (e.g.
      // INFLUXDB_HTTP_BIND_ADDRESS); drop them so the developer's environment can't move
      // ports/dirs.
      pb.environment().keySet().removeIf(name -> name.startsWith("INFLUXDB_"));
      return pb.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + binary, e);
    }
  }

  /** Returns null once /ping answers, otherwise why it failed. */
  private String awaitReady() {
    long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        return "exited with code " + process.exitValue();
      }
      if (ping(url())) {
        return null;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return "interrupted while waiting for /ping";
      }
    }
    return "no answer on /ping within " + STARTUP_TIMEOUT.toSeconds() + " s";
  }

  /**
   * The influxd 1.6 config. Everything not listed keeps its default; graphite, collectd, opentsdb
   * and udp listeners are disabled by default and stay so.
   */
  private String config() {
    String d = dir.toAbsolutePath().toString().replace("\\", "/");
    return String.join(
        "\n",
        "# Generated by vn.lantern.testing.InfluxdProcess",
        // Upstream 1.x spells it reporting-disabled; Debian's patched build spells it
        // reporting-enabled (already false there). influxd ignores unknown keys, so set both.
        "reporting-disabled = true",
        "reporting-enabled = false",
        // RPC service (backup/restore); its default 127.0.0.1:8088 would clash between servers.
        "bind-address = \"127.0.0.1:" + rpcPort + "\"",
        "",
        "[meta]",
        "  dir = \"" + d + "/meta\"",
        "",
        "[data]",
        "  dir = \"" + d + "/data\"",
        "  wal-dir = \"" + d + "/wal\"",
        "  query-log-enabled = false",
        "",
        "[monitor]",
        // No _internal database: less disk I/O and no extra database in SHOW DATABASES.
        "  store-enabled = false",
        "",
        "[http]",
        "  bind-address = \"127.0.0.1:" + httpPort + "\"",
        "  log-enabled = false",
        "  auth-enabled = " + authEnabled,
        "",
        "[logging]",
        "  level = \"warn\"",
        "  suppress-logo = true",
        "");
  }

  /** A port that was free a moment ago on the loopback interface, different from {@code avoid}. */
  private static int freePort(int avoid) {
    for (int i = 0; i < 10; i++) {
      try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        int port = socket.getLocalPort();
        if (port != avoid) {
          return port;
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot find a free port", e);
      }
    }
    throw new IllegalStateException("cannot find a free port other than " + avoid);
  }

  private String logSince(String marker) {
    try {
      String all = Files.readString(logFile, StandardCharsets.UTF_8);
      int start = all.lastIndexOf(marker);
      return start < 0 ? all : all.substring(start + marker.length());
    } catch (IOException e) {
      return "(cannot read " + logFile + ": " + e + ")";
    }
  }

  private static String tail(String text) {
    List<String> lines = text.strip().lines().toList();
    return String.join(
        "\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
  }

  private void deleteDir() {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      log.warn("influxd temp dir not deleted dir={} error={}", dir, e.toString());
    }
  }

  private void closeOnShutdown() {
    // Without this, an influxd started by a test JVM that exits without closing it (Ctrl-C, a
    // forgotten close()) would keep running and keep its port.
    close();
  }
}
