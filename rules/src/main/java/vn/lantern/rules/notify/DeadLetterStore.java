package vn.lantern.rules.notify;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import vn.lantern.rules.db.RulesDatabase;

/** JDBC persistence of dead letters. Blocking: call from a worker thread. */
public final class DeadLetterStore {
  private final RulesDatabase db;

  public DeadLetterStore(RulesDatabase db) {
    this.db = db;
  }

  public void add(DeadLetter d) {
    db.update(
        "INSERT INTO dead_letter (id, alert_id, rule_id, zone, channel, target, payload, attempts,"
            + " last_error, failed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        java.util.Arrays.asList(
            d.id(),
            d.alertId(),
            d.ruleId(),
            d.zone(),
            d.channel(),
            d.target(),
            d.payload(),
            d.attempts(),
            d.lastError(),
            d.failedAt()));
  }

  /** The newest dead letters, limited to {@code zones} unless it is null. */
  public List<DeadLetter> list(Set<String> zones, int limit) {
    StringBuilder sql =
        new StringBuilder(
            "SELECT id, alert_id, rule_id, zone, channel, target, payload, attempts, last_error,"
                + " failed_at FROM dead_letter");
    List<Object> params = new ArrayList<>();
    if (zones != null) {
      if (zones.isEmpty()) {
        return List.of();
      }
      sql.append(" WHERE zone IN (")
          .append(String.join(", ", Collections.nCopies(zones.size(), "?")))
          .append(')');
      params.addAll(zones);
    }
    sql.append(" ORDER BY failed_at DESC LIMIT ?");
    params.add(limit);
    return db.query(
        sql.toString(),
        params,
        rs ->
            new DeadLetter(
                rs.getString(1),
                rs.getString(2),
                rs.getString(3),
                rs.getString(4),
                rs.getString(5),
                rs.getString(6),
                rs.getString(7),
                rs.getInt(8),
                rs.getString(9),
                rs.getLong(10)));
  }
}
