package vn.lantern.rules;

import java.util.Map;
import vn.lantern.auth.OidcSettings;
import vn.lantern.common.config.ConfigLoader.ConfigException;
import vn.lantern.common.influx.InfluxSettings;
import vn.lantern.common.store.DatabaseSettings;
import vn.lantern.rules.eval.DryRunLimits;
import vn.lantern.rules.eval.WindowLimits;
import vn.lantern.rules.notify.NotifySettings;

/**
 * The rules engine's typed configuration. In the standalone node the data directory and InfluxDB
 * come from the node's config; the rest from these defaults and the {@code LANTERN_*} variables in
 * {@link #ENV}.
 *
 * @param dataDir where {@code jwt-secret}, {@code admin-password} and the embedded relational store
 *     live
 * @param db the relational store (the node's: embedded H2 in {@code dataDir} unless a URL is set)
 * @param influx the node's InfluxDB (readings, alert events), as the ingest side reaches it
 * @param tickMs how often time-driven conditions (absence, {@code for}, windows, escalation) are
 *     evaluated
 * @param adminPassword the first admin's password; empty generates one into {@code
 *     <dataDir>/admin-password}
 * @param jwtSecret HS256 signing key of API tokens; empty uses (and creates) {@code
 *     <dataDir>/jwt-secret}
 * @param tokenTtlSeconds lifetime of API tokens
 * @param pbkdf2Iterations PBKDF2 iterations for user passwords
 * @param seedRulePacks seed each regulation pack's rules once, and re-seed a pack whose version
 *     rose
 * @param historyMaxPoints most points per series read back from InfluxDB (windows, dry runs)
 * @param notifications notification delivery
 * @param oidc an external OpenID Connect issuer whose tokens are accepted too
 * @param serviceToken a static bearer token with admin rights for automation (provisioning scripts,
 *     the simulator); empty for none. In the standalone node it is the node's {@code
 *     LANTERN_API_TOKEN}
 * @param usersFile YAML file of users with hashed passwords applied at every start, empty for none
 * @param windows how long and how full rule windows may be
 * @param dryRun what one dry run may cost, and how many run at once
 * @param auditRetentionDays how long audit entries are kept; older ones are deleted every hour
 */
public record RulesConfig(
    String dataDir,
    DatabaseSettings db,
    InfluxSettings influx,
    long tickMs,
    String adminPassword,
    String jwtSecret,
    long tokenTtlSeconds,
    int pbkdf2Iterations,
    boolean seedRulePacks,
    int historyMaxPoints,
    NotifySettings notifications,
    OidcSettings oidc,
    String serviceToken,
    String usersFile,
    WindowLimits windows,
    DryRunLimits dryRun,
    int auditRetentionDays) {

  /** Environment variable → config key. */
  public static final Map<String, String> ENV =
      Map.ofEntries(
          Map.entry("LANTERN_ADMIN_PASSWORD", "adminPassword"),
          Map.entry("LANTERN_JWT_SECRET", "jwtSecret"),
          Map.entry("LANTERN_RULES_TICK_MS", "tickMs"),
          Map.entry("LANTERN_RULES_SEED_PACKS", "seedRulePacks"),
          Map.entry("LANTERN_TOKEN_TTL_SECONDS", "tokenTtlSeconds"),
          Map.entry("LANTERN_NOTIFY_MAX_ATTEMPTS", "notifications.maxAttempts"),
          Map.entry("LANTERN_NOTIFY_MQTT_HOST", "notifications.mqttHost"),
          Map.entry("LANTERN_NOTIFY_MQTT_PORT", "notifications.mqttPort"),
          Map.entry("LANTERN_NOTIFY_MQTT_USER", "notifications.mqttUsername"),
          Map.entry("LANTERN_NOTIFY_MQTT_PASSWORD", "notifications.mqttPassword"),
          Map.entry("LANTERN_NOTIFY_ALLOWED_HOSTS", "notifications.allowedHosts"),
          Map.entry("LANTERN_OIDC_ISSUER", "oidc.issuer"),
          Map.entry("LANTERN_OIDC_AUDIENCE", "oidc.audience"),
          Map.entry("LANTERN_OIDC_ROLE_CLAIM", "oidc.roleClaim"),
          Map.entry("LANTERN_OIDC_ZONES_CLAIM", "oidc.zonesClaim"),
          Map.entry("LANTERN_API_TOKEN", "serviceToken"),
          Map.entry("LANTERN_USERS_FILE", "usersFile"),
          Map.entry("LANTERN_RULES_MAX_WINDOW_HOURS", "windows.maxHours"),
          Map.entry("LANTERN_DRY_RUN_MAX_CONCURRENT", "dryRun.maxConcurrent"),
          Map.entry("LANTERN_AUDIT_RETENTION_DAYS", "auditRetentionDays"));

  public RulesConfig {
    if (auditRetentionDays < 1) {
      throw new ConfigException(
          "rules.auditRetentionDays must be at least 1 day, not " + auditRetentionDays);
    }
  }

  /** The documented defaults for a data directory and an InfluxDB, with the embedded store. */
  public static RulesConfig defaults(String dataDir, InfluxSettings influx) {
    return defaults(dataDir, DatabaseSettings.defaults(), influx);
  }

  /** The documented defaults for a node's data directory, relational store and InfluxDB. */
  public static RulesConfig defaults(String dataDir, DatabaseSettings db, InfluxSettings influx) {
    return builder(dataDir, db, influx).build();
  }

  /** A builder starting from the documented defaults. */
  public static Builder builder(String dataDir, DatabaseSettings db, InfluxSettings influx) {
    return new Builder(dataDir, db, influx);
  }

  /** A builder starting from this configuration. */
  public Builder toBuilder() {
    return new Builder(dataDir, db, influx)
        .tickMs(tickMs)
        .adminPassword(adminPassword)
        .jwtSecret(jwtSecret)
        .tokenTtlSeconds(tokenTtlSeconds)
        .pbkdf2Iterations(pbkdf2Iterations)
        .seedRulePacks(seedRulePacks)
        .historyMaxPoints(historyMaxPoints)
        .notifications(notifications)
        .oidc(oidc)
        .serviceToken(serviceToken)
        .usersFile(usersFile)
        .windows(windows)
        .dryRun(dryRun)
        .auditRetentionDays(auditRetentionDays);
  }

  /** Builds a {@link RulesConfig} by naming what differs from the defaults. */
  public static final class Builder {
    private final String dataDir;
    private final DatabaseSettings db;
    private final InfluxSettings influx;
    private long tickMs = 1000;
    private String adminPassword = "";
    private String jwtSecret = "";
    private long tokenTtlSeconds = 12 * 3600;
    private int pbkdf2Iterations = 210_000;
    private boolean seedRulePacks = true;
    private int historyMaxPoints = 100_000;
    private NotifySettings notifications = NotifySettings.defaults();
    private OidcSettings oidc = OidcSettings.defaults();
    private String serviceToken = "";
    private String usersFile = "";
    private WindowLimits windows = WindowLimits.defaults();
    private DryRunLimits dryRun = DryRunLimits.defaults();
    private int auditRetentionDays = 400;

    private Builder(String dataDir, DatabaseSettings db, InfluxSettings influx) {
      this.dataDir = dataDir;
      this.db = db;
      this.influx = influx;
    }

    public Builder tickMs(long value) {
      tickMs = value;
      return this;
    }

    public Builder adminPassword(String value) {
      adminPassword = value;
      return this;
    }

    public Builder jwtSecret(String value) {
      jwtSecret = value;
      return this;
    }

    public Builder tokenTtlSeconds(long value) {
      tokenTtlSeconds = value;
      return this;
    }

    public Builder pbkdf2Iterations(int value) {
      pbkdf2Iterations = value;
      return this;
    }

    public Builder seedRulePacks(boolean value) {
      seedRulePacks = value;
      return this;
    }

    public Builder historyMaxPoints(int value) {
      historyMaxPoints = value;
      return this;
    }

    public Builder notifications(NotifySettings value) {
      notifications = value;
      return this;
    }

    public Builder oidc(OidcSettings value) {
      oidc = value;
      return this;
    }

    public Builder serviceToken(String value) {
      serviceToken = value;
      return this;
    }

    public Builder usersFile(String value) {
      usersFile = value;
      return this;
    }

    public Builder windows(WindowLimits value) {
      windows = value;
      return this;
    }

    public Builder dryRun(DryRunLimits value) {
      dryRun = value;
      return this;
    }

    public Builder auditRetentionDays(int value) {
      auditRetentionDays = value;
      return this;
    }

    public RulesConfig build() {
      return new RulesConfig(
          dataDir,
          db,
          influx,
          tickMs,
          adminPassword,
          jwtSecret,
          tokenTtlSeconds,
          pbkdf2Iterations,
          seedRulePacks,
          historyMaxPoints,
          notifications,
          oidc,
          serviceToken,
          usersFile,
          windows,
          dryRun,
          auditRetentionDays);
    }
  }
}
