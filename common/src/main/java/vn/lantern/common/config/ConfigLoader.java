package vn.lantern.common.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;

/**
 * Builds a service's typed config from three layers, later ones winning: the documented defaults
 * (the config record's own default instance), an optional YAML file, and {@code LANTERN_*}
 * environment variables. Unknown keys in the file are an error, so a typo never goes unnoticed.
 */
public final class ConfigLoader {

  private static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory()).enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private ConfigLoader() {}

  /**
   * Loads a config.
   *
   * @param type the config record type
   * @param defaults the documented defaults
   * @param file YAML file to read, or {@code null} for none
   * @param env the environment (usually {@link System#getenv()})
   * @param envBindings environment variable name to dotted config path, e.g. {@code
   *     LANTERN_MQTT_PORT -> mqtt.port}
   */
  public static <T> T load(
      Class<T> type,
      T defaults,
      Path file,
      Map<String, String> env,
      Map<String, String> envBindings) {
    return loadSection(type, defaults, file == null ? null : readFile(file), env, envBindings);
  }

  /**
   * Loads a config from a mapping already read from a file (see {@link #readFile}), e.g. one
   * section of a node's file.
   *
   * @param fromFile the file's mapping for this config, or {@code null} for none
   */
  public static <T> T loadSection(
      Class<T> type,
      T defaults,
      ObjectNode fromFile,
      Map<String, String> env,
      Map<String, String> envBindings) {
    ObjectNode tree = YAML.valueToTree(defaults);
    if (fromFile != null) {
      merge(tree, fromFile);
    }
    envBindings.forEach(
        (variable, path) -> {
          String value = env.get(variable);
          if (value != null && !value.isBlank()) {
            set(tree, path, value.trim());
          }
        });
    try {
      return YAML.treeToValue(tree, type);
    } catch (JsonProcessingException e) {
      throw new ConfigException("invalid configuration: " + e.getOriginalMessage(), e);
    }
  }

  /**
   * Reads a YAML config file whose top level is a mapping (an empty file is an empty mapping), for
   * services that split one file into sections.
   */
  public static ObjectNode readFile(Path file) {
    try {
      JsonNode content = YAML.readTree(Files.readAllBytes(file));
      if (content == null || content.isMissingNode() || content.isNull()) {
        return YAML.createObjectNode();
      }
      if (!content.isObject()) {
        throw new ConfigException(file + ": the top level must be a mapping");
      }
      return (ObjectNode) content;
    } catch (IOException e) {
      throw new ConfigException("cannot read config file " + file + ": " + e.getMessage(), e);
    }
  }

  private static void merge(ObjectNode target, ObjectNode source) {
    Iterator<Map.Entry<String, JsonNode>> fields = source.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      JsonNode existing = target.get(field.getKey());
      if (existing instanceof ObjectNode existingObject && field.getValue() instanceof ObjectNode) {
        merge(existingObject, (ObjectNode) field.getValue());
      } else {
        target.set(field.getKey(), field.getValue());
      }
    }
  }

  private static void set(ObjectNode tree, String path, String value) {
    String[] parts = path.split("\\.");
    ObjectNode node = tree;
    for (int i = 0; i < parts.length - 1; i++) {
      node = node.withObjectProperty(parts[i]);
    }
    // A text node is coerced by Jackson into the target field's type (int, boolean, ...).
    node.set(parts[parts.length - 1], TextNode.valueOf(value));
  }

  /** A configuration that cannot be loaded; its message names the file or key at fault. */
  public static final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
      super(message);
    }

    public ConfigException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
