package vn.lantern.gateway.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import vn.lantern.common.config.ConfigLoader;
import vn.lantern.common.config.ConfigLoader.ConfigException;

/**
 * Loads a {@link GatewayConfig}: {@code ${VAR}} and {@code ${VAR:-default}} placeholders in the
 * file are filled from the environment first (an unset variable without default is an error naming
 * it), then the common {@link ConfigLoader} layers defaults, file and {@code LANTERN_GATEWAY_*}.
 */
public final class GatewayConfigLoader {
  private static final Pattern PLACEHOLDER =
      Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?}");

  private GatewayConfigLoader() {}

  /** Loads the config from an optional file and the environment. */
  public static GatewayConfig load(Path file, Map<String, String> env) {
    if (file == null) {
      return ConfigLoader.load(
          GatewayConfig.class, GatewayConfig.defaults(), null, env, GatewayConfig.ENV);
    }
    try {
      String text = substitute(Files.readString(file), env, file);
      Path resolved = Files.createTempFile("lantern-gateway", ".yaml");
      try {
        Files.writeString(resolved, text);
        return ConfigLoader.load(
            GatewayConfig.class, GatewayConfig.defaults(), resolved, env, GatewayConfig.ENV);
      } finally {
        Files.deleteIfExists(resolved);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read config file " + file, e);
    }
  }

  /** Replaces every placeholder in {@code text}. */
  static String substitute(String text, Map<String, String> env, Path file) {
    Matcher m = PLACEHOLDER.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String value = env.get(m.group(1));
      if (value == null || value.isEmpty()) {
        value = m.group(2);
      }
      if (value == null) {
        throw new ConfigException(
            file + ": environment variable " + m.group(1) + " is not set and has no default");
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }
}
