package vn.lantern.common.build;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The version and git commit this build was made from, written into {@code build.properties} by
 * Maven at build time. A build outside a git checkout (a source tarball) reports commit {@code
 * unknown}.
 *
 * @param version the Maven project version, e.g. {@code 0.1.0-SNAPSHOT}
 * @param commit the abbreviated git commit id, or {@code unknown}
 */
public record BuildInfo(String version, String commit) {
  private static final String UNKNOWN = "unknown";
  private static final BuildInfo CURRENT = load();

  /** The build info of the running code. */
  public static BuildInfo current() {
    return CURRENT;
  }

  /** One line for {@code --version} output and start-up logs. */
  public String describe() {
    return "Lantern " + version + " (commit " + commit + ")";
  }

  private static BuildInfo load() {
    Properties props = new Properties();
    try (InputStream in = BuildInfo.class.getResourceAsStream("build.properties")) {
      if (in != null) {
        props.load(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new BuildInfo(filled(props.getProperty("version")), filled(props.getProperty("commit")));
  }

  /** An unfilled placeholder (no git, or an IDE build without filtering) means unknown. */
  private static String filled(String value) {
    return value == null || value.isBlank() || value.startsWith("${") ? UNKNOWN : value;
  }
}
