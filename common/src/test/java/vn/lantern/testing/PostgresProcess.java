package vn.lantern.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.lantern.common.store.DatabaseSettings;

/**
 * A real PostgreSQL server owned by the test run, from Debian's {@code postgresql} package: a
 * throwaway cluster ({@code initdb}) in a temporary directory, listening on 127.0.0.1 on a free
 * port, trust authentication for the user {@code lantern}. PostgreSQL refuses to run as root, so
 * under root it runs as the {@code postgres} system user the package creates. Killed, and its
 * directory deleted, by a JVM shutdown hook if a test forgets to close it.
 *
 * <p>Most tests use {@link TestDatabases#postgres()}, which shares one server per JVM and gives
 * each caller a fresh database.
 */
public final class PostgresProcess implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PostgresProcess.class);

  static final String INSTALL_HINT =
      "Install PostgreSQL (Debian/Ubuntu: sudo apt-get install postgresql; its binaries are in"
          + " /usr/lib/postgresql/VERSION/bin) or put initdb and postgres on PATH";
  private static final String USER = "lantern";
  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(30);
  private static final int BIND_ATTEMPTS = 5;

  private final Path bin;
  private final Path dir;
  private final Path logFile;
  private final Thread shutdownHook;
  private final AtomicInteger databases = new AtomicInteger();
  private int port;
  private Process process;
  private boolean closed;

  private PostgresProcess(Path bin, Path dir) {
    this.bin = bin;
    this.dir = dir;
    this.logFile = dir.resolve("postgres.log");
    this.shutdownHook = new Thread(this::close, "postgres-shutdown-" + dir.getFileName());
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /**
   * Creates a cluster in a new temporary directory and starts it.
   *
   * @throws IllegalStateException if PostgreSQL is not installed (the message says how to install
   *     it) or does not start (the message holds the tail of its log)
   */
  public static PostgresProcess start() {
    Path bin =
        findBinDir()
            .orElseThrow(() -> new IllegalStateException("PostgreSQL not found. " + INSTALL_HINT));
    Path dir;
    try {
      dir = Files.createTempDirectory("lantern-postgres-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temp dir for PostgreSQL", e);
    }
    PostgresProcess postgres = new PostgresProcess(bin, dir);
    try {
      postgres.initdb();
      postgres.launch();
      return postgres;
    } catch (RuntimeException e) {
      postgres.close();
      throw e;
    }
  }

  /** The directory holding {@code initdb} and {@code postgres}: PATH first, then Debian's. */
  static Optional<Path> findBinDir() {
    List<Path> candidates = new ArrayList<>();
    String path = System.getenv("PATH");
    if (path != null) {
      Stream.of(path.split(File.pathSeparator))
          .filter(entry -> !entry.isEmpty())
          .forEach(entry -> candidates.add(Path.of(entry)));
    }
    try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
      versions
          .sorted(Comparator.reverseOrder())
          .forEach(version -> candidates.add(version.resolve("bin")));
    } catch (IOException notInstalled) {
      // nothing under /usr/lib/postgresql: only PATH is searched
    }
    return candidates.stream()
        .filter(
            d ->
                Files.isExecutable(d.resolve("initdb"))
                    && Files.isExecutable(d.resolve("postgres")))
        .findFirst();
  }

  /** JDBC URL of {@code database} on this server. */
  public String url(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
  }

  public int port() {
    return port;
  }

  /** Creates a fresh, empty database and returns settings pointing at it. */
  public DatabaseSettings createDatabase() {
    String name = "lantern_test_" + databases.incrementAndGet();
    try (Connection c = DriverManager.getConnection(url("postgres"), USER, "");
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create database " + name + ": " + e.getMessage(), e);
    }
    return new DatabaseSettings(url(name), USER, "", 4);
  }

  private void initdb() {
    Path data = dir.resolve("data");
    run(
        List.of(
            bin.resolve("initdb").toString(),
            "-D",
            data.toString(),
            "-A",
            "trust",
            "-U",
            USER,
            "-E",
            "UTF8",
            "--locale=C",
            "--no-sync"),
        Duration.ofSeconds(60));
  }

  private void launch() {
    for (int attempt = 1; ; attempt++) {
      port = freePort();
      List<String> command =
          asServiceUser(
              List.of(
                  bin.resolve("postgres").toString(),
                  "-D",
                  dir.resolve("data").toString(),
                  "-p",
                  Integer.toString(port),
                  "-h",
                  "127.0.0.1",
                  "-k",
                  dir.toString(),
                  // A test cluster is thrown away: no need to force its files to disk.
                  "-F"));
      try {
        process =
            new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .start();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start " + command, e);
      }
      String failure = awaitReady();
      if (failure == null) {
        log.info("postgres started port={} pid={} dir={}", port, process.pid(), dir);
        return;
      }
      stop();
      String logText = readLog();
      if (logText.contains("Address already in use") && attempt < BIND_ATTEMPTS) {
        continue;
      }
      throw new IllegalStateException(
          "PostgreSQL did not start (" + failure + ") dir=" + dir + "; its log:\n" + logText);
    }
  }

  private String awaitReady() {
    long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        return "exited with code " + process.exitValue();
      }
      try (Connection c = DriverManager.getConnection(url("postgres"), USER, "")) {
        return null;
      } catch (SQLException notYet) {
        sleep(100);
      }
    }
    return "no connection within " + STARTUP_TIMEOUT.toSeconds() + " s";
  }

  /** Fast shutdown (SIGINT: disconnect clients, checkpoint), SIGKILL after 10 s. */
  private synchronized void stop() {
    if (process == null) {
      return;
    }
    Process p = process;
    process = null;
    try {
      new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor();
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        p.waitFor();
      }
    } catch (IOException e) {
      p.destroyForcibly();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
    }
  }

  /** Stops the server and deletes its directory. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    stop();
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      log.warn("postgres temp dir not deleted dir={} error={}", dir, e.toString());
    }
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException shuttingDown) {
      // running from the hook itself
    }
  }

  /** Under root, the command runs as the {@code postgres} user, owner of the directory. */
  private List<String> asServiceUser(List<String> command) {
    if (!"root".equals(System.getProperty("user.name"))) {
      return command;
    }
    try {
      UserPrincipal owner =
          dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
      Files.setOwner(dir, owner);
    } catch (IOException e) {
      throw new IllegalStateException(
          "PostgreSQL refuses to run as root and there is no 'postgres' user to run it as. "
              + INSTALL_HINT,
          e);
    }
    List<String> wrapped = new ArrayList<>(List.of("runuser", "-u", "postgres", "--"));
    wrapped.addAll(command);
    return wrapped;
  }

  private void run(List<String> command, Duration timeout) {
    List<String> full = asServiceUser(command);
    try {
      Process p =
          new ProcessBuilder(full)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
              .start();
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException(command.get(0) + " timed out; log:\n" + readLog());
      }
      if (p.exitValue() != 0) {
        throw new IllegalStateException(
            command.get(0) + " failed with code " + p.exitValue() + "; log:\n" + readLog());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + full, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted running " + command.get(0), e);
    }
  }

  private String readLog() {
    try {
      return Files.readString(logFile, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot find a free port", e);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
