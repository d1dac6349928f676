package vn.lantern.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.lantern.common.store.DatabaseSettings;
import vn.lantern.common.store.RelationalStore;

/**
 * The rules and KPI files of the old layout ({@code rules.mv.db}, {@code kpis.mv.db}, each with its
 * own history and CLOB columns) are imported into the one store once its migrations hold their
 * tables. The files are written here with the old schemas as they were shipped.
 */
class LegacyStoresUpgradeTest {
  @TempDir Path dataDir;

  @Test
  void oldRulesAndKpiFilesAreImported() throws Exception {
    oldFile(
        "rules",
        "CREATE TABLE rule (id VARCHAR(64) PRIMARY KEY, zone VARCHAR(64) NOT NULL, version INT NOT"
            + " NULL, body CLOB NOT NULL, updated_at BIGINT NOT NULL)",
        "CREATE TABLE alert (id VARCHAR(64) PRIMARY KEY, rule_id VARCHAR(64) NOT NULL, rule_name"
            + " VARCHAR(200) NOT NULL, device VARCHAR(64) NOT NULL, zone VARCHAR(64) NOT NULL,"
            + " site VARCHAR(128), metric VARCHAR(64), state VARCHAR(16) NOT NULL, severity"
            + " VARCHAR(16) NOT NULL, since BIGINT NOT NULL, alert_value DOUBLE PRECISION,"
            + " acked_by VARCHAR(64), acked_at BIGINT, ack_comment VARCHAR(1000), resolved_at"
            + " BIGINT, resolved_by VARCHAR(64), updated_at BIGINT NOT NULL)",
        "CREATE TABLE alert_transition (alert_id VARCHAR(64) NOT NULL, seq INT NOT NULL, at BIGINT"
            + " NOT NULL, state VARCHAR(16) NOT NULL, severity VARCHAR(16) NOT NULL, actor"
            + " VARCHAR(64), note VARCHAR(1000), alert_value DOUBLE PRECISION, PRIMARY KEY"
            + " (alert_id, seq))",
        "CREATE TABLE app_user (username VARCHAR(64) PRIMARY KEY, password_hash VARCHAR(256) NOT"
            + " NULL, role VARCHAR(16) NOT NULL, zones VARCHAR(2000) NOT NULL, created_at BIGINT"
            + " NOT NULL)",
        "CREATE TABLE dead_letter (id VARCHAR(64) PRIMARY KEY, alert_id VARCHAR(64) NOT NULL,"
            + " rule_id VARCHAR(64) NOT NULL, zone VARCHAR(64) NOT NULL, channel VARCHAR(16) NOT"
            + " NULL, target VARCHAR(2000) NOT NULL, payload CLOB NOT NULL, attempts INT NOT"
            + " NULL, last_error VARCHAR(1000), failed_at BIGINT NOT NULL)",
        "CREATE TABLE setting (name VARCHAR(64) PRIMARY KEY, setting_value VARCHAR(1000) NOT NULL)",
        "INSERT INTO rule VALUES ('river-high', 'hoi-an', 3, '{\"name\":\"river high\"}', 7)",
        "INSERT INTO alert (id, rule_id, rule_name, device, zone, state, severity, since,"
            + " updated_at) VALUES ('a-1', 'river-high', 'river high', 'wl-01', 'hoi-an',"
            + " 'firing', 'critical', 5, 6)",
        "INSERT INTO alert_transition VALUES ('a-1', 1, 5, 'firing', 'critical', 'system', NULL,"
            + " 2.7)",
        "INSERT INTO app_user VALUES ('admin', 'pbkdf2$1$a$b', 'admin', '', 1)",
        "INSERT INTO setting VALUES ('packs', 'flood')");
    oldFile(
        "kpis",
        "CREATE TABLE kpi_definition (id VARCHAR(64) PRIMARY KEY, definition CLOB NOT NULL,"
            + " created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL)",
        "INSERT INTO kpi_definition VALUES ('noise_avg', '{\"name\":\"noise_avg\"}', 1, 2)");

    try (RelationalStore db = RelationalStore.open(DatabaseSettings.defaults(), dataDir)) {
      assertEquals(
          List.of("{\"name\":\"river high\"}"),
          db.query("SELECT body FROM rule", List.of(), rs -> rs.getString(1)));
      assertEquals(
          List.of("firing:false"),
          db.query(
              "SELECT state, late FROM alert WHERE id = 'a-1'",
              List.of(),
              rs -> rs.getString(1) + ":" + rs.getBoolean(2)));
      assertEquals(
          List.of(1L),
          db.query("SELECT count(*) FROM alert_transition", List.of(), rs -> rs.getLong(1)));
      assertEquals(
          List.of("admin"),
          db.query("SELECT username FROM app_user", List.of(), rs -> rs.getString(1)));
      assertEquals(
          List.of("{\"name\":\"noise_avg\"}"),
          db.query("SELECT definition FROM kpi_definition", List.of(), rs -> rs.getString(1)));
    }
    for (String name : List.of("rules", "kpis")) {
      assertTrue(Files.exists(dataDir.resolve(name + ".mv.db.imported")), name);
    }
  }

  private void oldFile(String name, String... statements) throws Exception {
    String url = "jdbc:h2:file:" + dataDir.resolve(name).toAbsolutePath();
    try (Connection c = DriverManager.getConnection(url, "lantern", "");
        Statement s = c.createStatement()) {
      for (String sql : statements) {
        s.execute(sql);
      }
      s.execute("SHUTDOWN");
    }
  }
}
