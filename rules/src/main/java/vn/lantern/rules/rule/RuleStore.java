package vn.lantern.rules.rule;

import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import vn.lantern.common.store.RowRewriter;
import vn.lantern.rules.db.RulesDatabase;

/** JDBC persistence of rules as versioned JSON. Blocking: call from a worker thread. */
public final class RuleStore {
  private final RulesDatabase db;

  public RuleStore(RulesDatabase db) {
    this.db = db;
  }

  /** Every stored rule. Stored rules were validated on save, so zones are not re-checked. */
  public List<Rule> all() {
    return db.query(
        "SELECT id, version, updated_at, body FROM rule ORDER BY id",
        List.of(),
        rs ->
            RuleJson.parse(strip(new JsonObject(rs.getString(4))), zone -> true)
                .withIdentity(rs.getString(1), rs.getInt(2), rs.getLong(3)));
  }

  /** Inserts or replaces a rule. */
  public void save(Rule rule) {
    db.upsert(
        "rule",
        List.of("id", "zone", "version", "body", "updated_at"),
        1,
        List.of(
            rule.id(),
            rule.scope().zone(),
            rule.version(),
            RuleJson.writeForStore(rule).encode(),
            rule.updatedAt()));
  }

  /**
   * Moves the rules of zone {@code from} to {@code into} within the caller's transaction (a zone
   * merge): scope, column and the zone's notification topics change, the version goes up so every
   * node's {@link RuleService#refresh()} takes the new one.
   */
  public static void moveZone(Connection c, String from, String into) throws SQLException {
    RowRewriter.rewrite(
        c,
        "SELECT id, body FROM rule WHERE zone = ?",
        List.of(from),
        "UPDATE rule SET zone = ?, body = ?, version = version + 1, updated_at = ? WHERE id = ?",
        row -> {
          JsonObject body = new JsonObject(row.getString(2));
          RuleJson.moveZone(body, from, into);
          return List.of(into, body.encode(), System.currentTimeMillis());
        });
  }

  /** Deletes a rule; returns false when it did not exist. */
  public boolean delete(String id) {
    return db.update("DELETE FROM rule WHERE id = ?", List.of(id)) > 0;
  }

  private static JsonObject strip(JsonObject json) {
    json.remove("id");
    json.remove("version");
    json.remove("updatedAt");
    return json;
  }
}
