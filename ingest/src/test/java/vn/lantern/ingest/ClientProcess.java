package vn.lantern.ingest;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * An outside client program (mosquitto_pub, curl, coap-client-openssl) run by a test, its output
 * kept in a file. A missing program fails the test with the package to install.
 */
public final class ClientProcess implements AutoCloseable {
  private final Process process;
  private final Path log;

  private ClientProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  /** The program on PATH, or a failed test naming the Debian package that provides it. */
  public static Path program(String name, String debianPackage) {
    String path = System.getenv("PATH");
    return Stream.of(path == null ? new String[0] : path.split(File.pathSeparator))
        .filter(entry -> !entry.isEmpty())
        .map(entry -> Path.of(entry, name))
        .filter(Files::isExecutable)
        .findFirst()
        .orElseGet(
            () ->
                fail(
                    name
                        + " not found on PATH: install it (Debian: apt-get install "
                        + debianPackage
                        + "), or run ./lantern test, which does"));
  }

  /** Starts a command, its output going to a file in {@code dir}. */
  public static ClientProcess start(Path dir, List<String> command) {
    try {
      Path log = Files.createTempFile(dir, "client", ".log");
      Process process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      return new ClientProcess(process, log);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Runs a command to completion (30 s at most) and returns its exit code. */
  public static Result run(Path dir, List<String> command) {
    try (ClientProcess client = start(dir, command)) {
      return client.await(Duration.ofSeconds(30));
    }
  }

  /** How a finished command ended. */
  public record Result(int exitCode, String output) {
    public boolean succeeded() {
      return exitCode == 0;
    }
  }

  /** Writes a line to the program's standard input. */
  public void writeLine(String line) {
    try {
      OutputStream in = process.getOutputStream();
      in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
      in.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("writing to the client: " + output(), e);
    }
  }

  /** Whether the program is still running. */
  public boolean isAlive() {
    return process.isAlive();
  }

  /** Waits for the program to end; fails the test if it does not in time. */
  public Result await(Duration timeout) {
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        fail("client did not finish within " + timeout + ": " + output());
      }
      return new Result(process.exitValue(), output());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** What the program printed so far. */
  public String output() {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(no output: " + e.getMessage() + ")";
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
