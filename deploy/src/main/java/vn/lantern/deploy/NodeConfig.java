package vn.lantern.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.Map;
import vn.lantern.common.config.ConfigLoader;
import vn.lantern.common.config.ConfigLoader.ConfigException;
import vn.lantern.common.http.CorsPolicy;
import vn.lantern.ingest.IngestConfig;
import vn.lantern.ioc.kpi.KpiConfig;
import vn.lantern.rules.RulesConfig;

/**
 * A node's whole configuration, from one YAML file plus the {@code LANTERN_*} variables: the ingest
 * keys at the top level, and optional sections {@code rules:}, {@code kpis:} and {@code scaleOut:}
 * for the other parts. Each part keeps its own typed record and documented defaults; the rules
 * engine's default data directory and InfluxDB are the node's.
 *
 * @param ingest endpoints, registry, InfluxDB, limits
 * @param rules rules engine, alerts, access, notifications
 * @param kpis KPI engine, live stream, IOC push
 * @param scaleOut Kafka and the ingest/rules roles
 */
public record NodeConfig(
    IngestConfig ingest, RulesConfig rules, KpiConfig kpis, ScaleOutConfig scaleOut) {

  /** Loads the file (or only defaults and the environment when {@code file} is null). */
  public static NodeConfig load(Path file, Map<String, String> env) {
    ObjectNode content = file == null ? null : ConfigLoader.readFile(file);
    ObjectNode rulesSection = section(content, "rules");
    ObjectNode kpisSection = section(content, "kpis");
    ObjectNode scaleOutSection = section(content, "scaleOut");
    IngestConfig ingest =
        ConfigLoader.loadSection(
            IngestConfig.class, IngestConfig.defaults(), content, env, IngestConfig.ENV);
    RulesConfig rulesDefaults =
        RulesConfig.defaults(ingest.dataDir(), ingest.db(), ingest.influx());
    NodeConfig config =
        new NodeConfig(
            ingest,
            ConfigLoader.loadSection(
                RulesConfig.class, rulesDefaults, rulesSection, env, RulesConfig.ENV),
            ConfigLoader.loadSection(
                KpiConfig.class, KpiConfig.defaults(), kpisSection, env, KpiConfig.ENV),
            ConfigLoader.loadSection(
                ScaleOutConfig.class,
                ScaleOutConfig.defaults(),
                scaleOutSection,
                env,
                ScaleOutConfig.ENV));
    config.refuseWeakSecrets();
    try {
      CorsPolicy.parse(config.ingest().http().corsOrigins());
    } catch (IllegalArgumentException e) {
      throw new ConfigException(e.getMessage() + " (LANTERN_CORS_ORIGINS)");
    }
    return config;
  }

  /** The shortest admin token and JWT signing key a node accepts (HS256 wants a 256-bit key). */
  static final int MIN_SECRET_LENGTH = 32;

  /**
   * Refuses at start an admin token shorter than 32 characters or a JWT signing key shorter than 32
   * bytes: either can be guessed offline or brute-forced. Empty means not set (no token; a
   * generated key).
   */
  private void refuseWeakSecrets() {
    refuseShort(rules.serviceToken(), "LANTERN_API_TOKEN (rules.serviceToken)", "characters");
    refuseShort(scaleOut.apiToken(), "LANTERN_API_TOKEN (scaleOut.apiToken)", "characters");
    refuseShort(rules.jwtSecret(), "LANTERN_JWT_SECRET (rules.jwtSecret)", "bytes");
  }

  private static void refuseShort(String secret, String name, String unit) {
    if (secret == null || secret.isEmpty()) {
      return;
    }
    int length =
        unit.equals("bytes")
            ? secret.getBytes(java.nio.charset.StandardCharsets.UTF_8).length
            : secret.length();
    if (length < MIN_SECRET_LENGTH) {
      throw new ConfigException(
          name
              + " is "
              + length
              + " "
              + unit
              + "; it must be at least "
              + MIN_SECRET_LENGTH
              + " (e.g. openssl rand -hex 32)");
    }
  }

  /** Removes and returns a section of the file, so the rest is the ingest part. */
  private static ObjectNode section(ObjectNode content, String name) {
    if (content == null) {
      return null;
    }
    JsonNode section = content.remove(name);
    if (section == null || section.isNull()) {
      return null;
    }
    if (!section.isObject()) {
      throw new ConfigException("config section " + name + " must be a mapping");
    }
    return (ObjectNode) section;
  }
}
