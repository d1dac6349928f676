package vn.lantern.ingest.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import vn.lantern.auth.UserZones;
import vn.lantern.common.store.RelationalStore;
import vn.lantern.common.store.ZoneReferences;
import vn.lantern.ioc.kpi.KpiDefinitionStore;
import vn.lantern.rules.alert.AlertStore;
import vn.lantern.rules.rule.RuleStore;
import vn.lantern.testing.TestDatabases;

/**
 * A zone merge in the one relational store, on H2 and PostgreSQL: devices, child zones, rules (with
 * their notification topics), open alerts, users, display tokens, KPI definitions and the audit
 * entry change together; a failure in the last step leaves every table as it was.
 */
class ZoneMergeStoreTest {
  @TempDir Path dataDir;

  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void everyReferenceMovesTogether(TestDatabases engine) {
    try (RelationalStore db = RelationalStore.open(engine.freshDatabase(), dataDir)) {
      RegistryStore store = RegistryStore.in(db);
      seed(db, store);

      List<String> moved = store.mergeZone("zm-old", "zm-new", references(false));

      assertEquals(List.of("zm-dev"), moved);
      assertEquals(after(), snapshot(db));
      assertEquals(Map.of("zm-old", "zm-new"), store.aliases());
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void aFailureMidWayChangesNothing(TestDatabases engine) {
    try (RelationalStore db = RelationalStore.open(engine.freshDatabase(), dataDir)) {
      RegistryStore store = RegistryStore.in(db);
      seed(db, store);
      List<String> before = snapshot(db);

      assertThrows(
          RegistryStore.RegistryException.class,
          () -> store.mergeZone("zm-old", "zm-new", references(true)));

      assertEquals(before, snapshot(db));
      assertTrue(store.aliases().isEmpty());
      assertTrue(store.zone("zm-old").isPresent());
    }
  }

  /** The other parts' references, then the audit entry, then (optionally) a failing step. */
  private static List<ZoneReferences> references(boolean failLast) {
    List<ZoneReferences> refs = new ArrayList<>();
    refs.add(RuleStore::moveZone);
    refs.add(AlertStore::moveZone);
    refs.add(new UserZones());
    refs.add(KpiDefinitionStore::moveZone);
    refs.add(
        (c, from, into) -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO audit_log (occurred_at, actor, action, target, outcome)"
                      + " VALUES (1, 'admin', 'zone.merge', ?, 'ok')")) {
            ps.setString(1, from);
            ps.executeUpdate();
          }
        });
    if (failLast) {
      refs.add(
          (c, from, into) -> {
            throw new SQLException("the disk filled up");
          });
    }
    return refs;
  }

  private static void seed(RelationalStore db, RegistryStore store) {
    store.upsertZone(new Zone("zm-old", "Phường Cũ", "ward", "da-nang", null, null));
    store.upsertZone(new Zone("zm-new", "Phường Mới", "ward", "da-nang", null, null));
    store.upsertZone(new Zone("zm-child", "KCN Con", "industrial_park", "zm-old", null, null));
    store.upsertDevice(
        new Device(
            "zm-dev", "energy", "zm-old", "Trạm", null, null, null, null, null, null, false));
    db.update(
        "INSERT INTO rule (id, zone, version, body, updated_at) VALUES ('r1', 'zm-old', 1, ?, 1)",
        List.of(
            "{\"name\":\"r\",\"scope\":{\"zone\":\"zm-old\",\"type\":\"energy\"},"
                + "\"channels\":[{\"type\":\"mqtt\",\"topic\":\"lantern/zm-old/alerts\"},"
                + "{\"type\":\"mqtt\",\"topic\":\"ioc/zm-old\"}]}"));
    for (String state : List.of("firing", "resolved")) {
      db.update(
          "INSERT INTO alert (id, rule_id, rule_name, device, zone, site, state, severity, since,"
              + " updated_at, late, held, flaps, never_reported) VALUES (?, 'r1', 'r', 'zm-dev',"
              + " 'zm-old', 'Trạm', ?, 'warning', 1, 1, false, false, 0, false)",
          List.of("a-" + state, state));
      db.update(
          "INSERT INTO alert_transition (alert_id, seq, at, state, severity, actor)"
              + " VALUES (?, 1, 1, 'fired', 'warning', 'system')",
          List.of("a-" + state));
    }
    db.update(
        "INSERT INTO app_user (username, password_hash, role, zones, created_at)"
            + " VALUES ('mgr', 'x', 'zone-manager', 'hoi-an,zm-old', 1)",
        List.of());
    db.update(
        "INSERT INTO display_token (id, name, zones, created_by, created_at, expires_at)"
            + " VALUES ('wall', 'Wall', 'zm-old', 'admin', 1, 2)",
        List.of());
    db.update(
        "INSERT INTO kpi_definition (id, definition, created_at, updated_at) VALUES ('k', ?, 1,"
            + " 1)",
        List.of("{\"name\":\"k\",\"scope\":{\"type\":\"energy\",\"zone\":\"zm-old\"}}"));
  }

  /** Every row the merge may touch, as text. */
  private static List<String> snapshot(RelationalStore db) {
    List<String> rows = new ArrayList<>();
    rows.addAll(
        db.query(
            "SELECT id, parent FROM zone WHERE id LIKE 'zm-%' ORDER BY id",
            List.of(), rs -> "zone " + rs.getString(1) + " parent=" + rs.getString(2)));
    rows.addAll(
        db.query(
            "SELECT id, zone FROM device",
            List.of(),
            rs -> "device " + rs.getString(1) + "@" + rs.getString(2)));
    rows.addAll(
        db.query(
            "SELECT zone, version, body FROM rule",
            List.of(),
            rs -> "rule " + rs.getString(1) + " v" + rs.getInt(2) + " " + rs.getString(3)));
    rows.addAll(
        db.query(
            "SELECT id, zone FROM alert ORDER BY id",
            List.of(),
            rs -> "alert " + rs.getString(1) + "@" + rs.getString(2)));
    rows.addAll(
        db.query(
            "SELECT alert_id, seq, state, note FROM alert_transition ORDER BY alert_id, seq",
            List.of(),
            rs ->
                "transition "
                    + rs.getString(1)
                    + " "
                    + rs.getInt(2)
                    + " "
                    + rs.getString(3)
                    + " "
                    + rs.getString(4)));
    rows.addAll(
        db.query(
            "SELECT zones FROM app_user WHERE username = 'mgr'",
            List.of(),
            rs -> "user " + rs.getString(1)));
    rows.addAll(
        db.query("SELECT zones FROM display_token", List.of(), rs -> "display " + rs.getString(1)));
    rows.addAll(
        db.query(
            "SELECT definition FROM kpi_definition", List.of(), rs -> "kpi " + rs.getString(1)));
    rows.addAll(
        db.query(
            "SELECT action, target FROM audit_log",
            List.of(),
            rs -> "audit " + rs.getString(1) + " " + rs.getString(2)));
    return rows;
  }

  private static List<String> after() {
    return List.of(
        "zone zm-child parent=zm-new",
        "zone zm-new parent=da-nang",
        "device zm-dev@zm-new",
        "rule zm-new v2 {\"name\":\"r\",\"scope\":{\"zone\":\"zm-new\",\"type\":\"energy\"},"
            + "\"channels\":[{\"type\":\"mqtt\",\"topic\":\"lantern/zm-new/alerts\"},"
            + "{\"type\":\"mqtt\",\"topic\":\"ioc/zm-old\"}]}",
        "alert a-firing@zm-new",
        "alert a-resolved@zm-old",
        "transition a-firing 1 fired null",
        "transition a-firing 2 zone_moved zone zm-old merged into zm-new",
        "transition a-resolved 1 fired null",
        "user hoi-an,zm-new",
        "display zm-new",
        "kpi {\"name\":\"k\",\"scope\":{\"type\":\"energy\",\"zone\":\"zm-new\"}}",
        "audit zone.merge zm-old");
  }
}
