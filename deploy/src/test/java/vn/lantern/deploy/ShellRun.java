package vn.lantern.deploy;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a command of the repository (an example, a docs block) as a user would, bounded in time. */
final class ShellRun {
  /** The repository root, seen from the deploy module's directory. */
  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  private ShellRun() {}

  /** Runs {@code command} in the repository root; fails with its output unless it exits 0. */
  static String run(List<String> command, Map<String, String> env) throws Exception {
    return run(command, env, Duration.ofSeconds(60));
  }

  /** Like {@link #run(List, Map)}, bounded by {@code timeout}. */
  static String run(List<String> command, Map<String, String> env, Duration timeout)
      throws Exception {
    ProcessBuilder builder = new ProcessBuilder(command).directory(ROOT.toFile());
    builder.environment().putAll(env);
    builder.redirectErrorStream(true);
    File output = File.createTempFile("shell-run", ".log");
    output.deleteOnExit();
    builder.redirectOutput(output);
    Process process = builder.start();
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      throw new AssertionError(command + " did not finish within " + timeout);
    }
    String text = java.nio.file.Files.readString(output.toPath(), StandardCharsets.UTF_8);
    if (process.exitValue() != 0) {
      throw new AssertionError(command + " exited " + process.exitValue() + ":\n" + text);
    }
    return text;
  }

  /** The path of a required program, or a loud failure naming its Debian package. */
  static String require(String program, String debianPackage) {
    for (String dir : System.getenv("PATH").split(File.pathSeparator)) {
      File file = new File(dir, program);
      if (file.canExecute()) {
        return file.getPath();
      }
    }
    throw new AssertionError(
        program
            + " is missing: install the Debian package "
            + debianPackage
            + " (./lantern test"
            + " does it)");
  }
}
