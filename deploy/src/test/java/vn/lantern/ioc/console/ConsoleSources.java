package vn.lantern.ioc.console;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * Whether the console on the test classpath was built from the console sources in this tree. Run
 * without {@code -am}, Maven takes {@code lantern-ioc} from the local repository, where an earlier
 * {@code install} may have left an older console: the browser tests would then fail as elements
 * missing from the page. ioc's build ({@code build.mjs}) writes {@value #RESOURCE} beside the
 * console; this computes the same fingerprint over the tree (each input's path, length and bytes).
 */
final class ConsoleSources {
  static final String RESOURCE = "console-sources.sha256";

  /** ioc's console sources, from this module's directory (where Surefire runs the tests). */
  private static final Path CONSOLE = Path.of("..", "ioc", "src", "main", "console");

  private static final List<String> DIRECTORIES = List.of("src", "api-docs");
  private static final List<String> FILES =
      List.of("build.mjs", "package.json", "package-lock.json", "../../../../docs/openapi.yaml");

  private ConsoleSources() {}

  /** Fails, saying why and what to run, unless the classpath's console is the tree's. */
  static void assertBuiltFromTheTree() {
    check(onClasspath(), inTree());
  }

  static void check(String onClasspath, String inTree) {
    if (onClasspath == null || !onClasspath.equals(inTree)) {
      throw new AssertionError(
          "the console on the test classpath was not built from ioc/src/main/console in this tree"
              + (onClasspath == null
                  ? " (it carries no " + RESOURCE + ")"
                  : " (built from " + onClasspath + ", tree " + inTree + ")")
              + ": it comes from a lantern-ioc jar installed earlier in the local Maven"
              + " repository, taken because ioc is not part of this build. Build it with this"
              + " module: mvn -pl deploy -am verify (or run mvn -pl ioc install first)");
    }
  }

  /** The fingerprint ioc's build wrote beside the console on the classpath, or null. */
  static String onClasspath() {
    try (InputStream in = ConsoleSources.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The fingerprint of the console sources in this tree, as {@code build.mjs} computes it. */
  static String inTree() {
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      for (String input : inputs()) {
        byte[] bytes = Files.readAllBytes(CONSOLE.resolve(input));
        sha256.update((input + "\n" + bytes.length + "\n").getBytes(StandardCharsets.UTF_8));
        sha256.update(bytes);
      }
      return HexFormat.of().formatHex(sha256.digest());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the console sources in " + CONSOLE, e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<String> inputs() throws IOException {
    List<String> sources = new ArrayList<>();
    for (String directory : DIRECTORIES) {
      try (Stream<Path> files = Files.walk(CONSOLE.resolve(directory))) {
        files
            .filter(Files::isRegularFile)
            .map(f -> CONSOLE.relativize(f).toString().replace('\\', '/'))
            .forEach(sources::add);
      }
    }
    sources.sort(null);
    sources.addAll(FILES);
    return sources;
  }
}
