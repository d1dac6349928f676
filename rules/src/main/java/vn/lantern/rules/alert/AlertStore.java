package vn.lantern.rules.alert;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import vn.lantern.common.store.RelationalStore;
import vn.lantern.rules.db.RulesDatabase;
import vn.lantern.rules.rule.Severity;

/** JDBC persistence of alerts and their transitions. Blocking: call from a worker thread. */
public final class AlertStore {
  private static final String COLUMNS =
      "id, rule_id, rule_name, device, zone, site, metric, state, severity, since, alert_value,"
          + " acked_by, acked_at, ack_comment, resolved_at, resolved_by, updated_at, late, held,"
          + " flaps, never_reported";

  private final RulesDatabase db;

  public AlertStore(RulesDatabase db) {
    this.db = db;
  }

  /** Stores a transition: the alert's new row and a transition record. */
  public void record(AlertEvent event) {
    Alert a = event.alert();
    db.upsert(
        "alert",
        java.util.Arrays.stream(COLUMNS.split(",")).map(String::strip).toList(),
        1,
        java.util.Arrays.asList(
            a.id(),
            a.ruleId(),
            a.ruleName(),
            a.device(),
            a.zone(),
            a.site(),
            a.metric(),
            a.state().json(),
            a.severity().json(),
            a.since(),
            Double.isNaN(a.value()) ? null : a.value(),
            a.ackedBy(),
            a.ackedAt() == 0 ? null : a.ackedAt(),
            a.ackComment(),
            a.resolvedAt() == 0 ? null : a.resolvedAt(),
            a.resolvedBy(),
            a.updatedAt(),
            a.late(),
            a.held(),
            a.flaps(),
            a.neverReported()));
    db.update(
        "INSERT INTO alert_transition (alert_id, seq, at, state, severity, actor, note,"
            + " alert_value) VALUES (?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM alert_transition"
            + " WHERE alert_id = ?), ?, ?, ?, ?, ?, ?)",
        java.util.Arrays.asList(
            a.id(),
            a.id(),
            event.at(),
            event.kind(),
            a.severity().json(),
            event.actor(),
            event.note(),
            Double.isNaN(a.value()) ? null : a.value()));
  }

  /**
   * Moves the open alerts of zone {@code from} to {@code into}, within the caller's transaction (a
   * zone merge), each with a {@code zone_moved} transition; resolved alerts keep the zone they were
   * raised in.
   */
  public static void moveZone(Connection c, String from, String into) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO alert_transition (alert_id, seq, at, state, severity, actor, note,"
                + " alert_value) SELECT a.id, (SELECT COALESCE(MAX(t.seq), 0) + 1 FROM"
                + " alert_transition t WHERE t.alert_id = a.id), ?, 'zone_moved', a.severity, ?,"
                + " ?, a.alert_value FROM alert a WHERE a.zone = ? AND a.state <> 'resolved'")) {
      RelationalStore.bind(
          ps,
          List.of(
              System.currentTimeMillis(),
              Alert.SYSTEM,
              "zone " + from + " merged into " + into,
              from));
      ps.executeUpdate();
    }
    try (PreparedStatement ps =
        c.prepareStatement("UPDATE alert SET zone = ? WHERE zone = ? AND state <> 'resolved'")) {
      RelationalStore.bind(ps, List.of(into, from));
      ps.executeUpdate();
    }
  }

  /**
   * {@link #moveZone} in a transaction of its own: after the merge, for a transition recorded from
   * memory before memory followed.
   */
  public void moveZone(String from, String into) {
    db.store()
        .inTransaction(
            c -> {
              moveZone(c, from, into);
              return null;
            });
  }

  /** Every alert that is not resolved. */
  public List<Alert> open() {
    return db.query(
        "SELECT " + COLUMNS + " FROM alert WHERE state <> 'resolved'",
        List.of(),
        AlertStore::alert);
  }

  public Optional<Alert> find(String id) {
    return db
        .query("SELECT " + COLUMNS + " FROM alert WHERE id = ?", List.of(id), AlertStore::alert)
        .stream()
        .findFirst();
  }

  /** Alerts matching a filter, newest first. */
  public List<Alert> list(AlertFilter f) {
    return list(f, null);
  }

  /**
   * The page of alerts matching a filter that follows {@code after} (null: the first page), newest
   * first, at most {@code f.limit()}: keyset paging, so an export of any length reads one page at a
   * time and sees each alert once.
   */
  public List<Alert> list(AlertFilter f, Alert after) {
    StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM alert WHERE 1 = 1");
    List<Object> params = new ArrayList<>();
    if (f.zones() != null) {
      if (f.zones().isEmpty()) {
        return List.of();
      }
      sql.append(" AND zone IN (")
          .append(String.join(", ", java.util.Collections.nCopies(f.zones().size(), "?")))
          .append(')');
      params.addAll(f.zones());
    }
    if (f.zone() != null) {
      sql.append(" AND zone IN (")
          .append(String.join(", ", java.util.Collections.nCopies(f.zone().size(), "?")))
          .append(')');
      params.addAll(f.zone());
    }
    condition(sql, params, "site = ?", f.site());
    condition(sql, params, "state = ?", f.state() == null ? null : f.state().json());
    condition(sql, params, "severity = ?", f.severity() == null ? null : f.severity().json());
    condition(sql, params, "rule_id = ?", f.ruleId());
    condition(sql, params, "device = ?", f.device());
    condition(sql, params, "since >= ?", f.from());
    condition(sql, params, "since <= ?", f.to());
    if (after != null) {
      sql.append(" AND (since < ? OR (since = ? AND id > ?))");
      params.addAll(List.of(after.since(), after.since(), after.id()));
    }
    sql.append(" ORDER BY since DESC, id LIMIT ?");
    params.add(f.limit());
    return db.query(sql.toString(), params, AlertStore::alert);
  }

  /** The transitions of one alert, oldest first, as JSON-ready rows. */
  public List<io.vertx.core.json.JsonObject> transitions(String alertId) {
    return db.query(
        "SELECT seq, at, state, severity, actor, note, alert_value FROM alert_transition"
            + " WHERE alert_id = ? ORDER BY seq",
        List.of(alertId),
        rs ->
            new io.vertx.core.json.JsonObject()
                .put("at", rs.getLong(2))
                .put("transition", rs.getString(3))
                .put("severity", rs.getString(4))
                .put("actor", rs.getString(5))
                .put("note", rs.getString(6))
                .put("value", rs.getObject(7) == null ? null : rs.getDouble(7)));
  }

  private static void condition(StringBuilder sql, List<Object> params, String clause, Object v) {
    if (v != null) {
      sql.append(" AND ").append(clause);
      params.add(v);
    }
  }

  private static Alert alert(ResultSet rs) throws SQLException {
    double value = rs.getDouble(11);
    if (rs.wasNull()) {
      value = Double.NaN;
    }
    return new Alert(
        rs.getString(1),
        rs.getString(2),
        rs.getString(3),
        rs.getString(4),
        rs.getString(5),
        rs.getString(6),
        rs.getString(7),
        AlertState.parse(rs.getString(8)),
        Severity.parse(rs.getString(9), "severity"),
        rs.getLong(10),
        value,
        rs.getString(12),
        rs.getLong(13),
        rs.getString(14),
        rs.getLong(15),
        rs.getString(16),
        rs.getLong(17),
        rs.getBoolean(18),
        rs.getBoolean(19),
        rs.getInt(20),
        rs.getBoolean(21));
  }
}
