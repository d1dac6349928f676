package vn.lantern.auth.audit;

import java.util.ArrayList;
import java.util.List;
import vn.lantern.common.store.RelationalStore;

/**
 * A filter on the audit log, read newest first in pages.
 *
 * @param fromMs oldest time included (epoch milliseconds), or null
 * @param toMs newest time included, or null
 * @param actor only this actor, or null
 * @param action only this action, or null
 * @param limit page size, 1 to {@link #MAX_LIMIT}
 * @param cursor where the page starts: the {@code next} of the previous page, or null
 */
public record AuditQuery(
    Long fromMs, Long toMs, String actor, String action, int limit, Cursor cursor) {
  /** The largest page. */
  public static final int MAX_LIMIT = 1000;

  /** The page size when none is asked for. */
  public static final int DEFAULT_LIMIT = 100;

  /** The position after the last entry of a page: its time and id (ties broken by id). */
  public record Cursor(long timeMs, long id) {
    /** Parses {@code time.id}; null when it is not a cursor this log gave out. */
    public static Cursor parse(String text) {
      String[] parts = text.split("\\.", -1);
      if (parts.length != 2) {
        return null;
      }
      try {
        return new Cursor(Long.parseLong(parts[0]), Long.parseLong(parts[1]));
      } catch (NumberFormatException e) {
        return null;
      }
    }

    @Override
    public String toString() {
      return timeMs + "." + id;
    }
  }

  AuditPage run(RelationalStore store) {
    StringBuilder sql =
        new StringBuilder(
            "SELECT id, occurred_at, actor, address, action, target, outcome, detail"
                + " FROM audit_log WHERE 1 = 1");
    List<Object> params = new ArrayList<>();
    if (fromMs != null) {
      sql.append(" AND occurred_at >= ?");
      params.add(fromMs);
    }
    if (toMs != null) {
      sql.append(" AND occurred_at <= ?");
      params.add(toMs);
    }
    if (actor != null) {
      sql.append(" AND actor = ?");
      params.add(actor);
    }
    if (action != null) {
      sql.append(" AND action = ?");
      params.add(action);
    }
    if (cursor != null) {
      sql.append(" AND (occurred_at < ? OR (occurred_at = ? AND id < ?))");
      params.add(cursor.timeMs());
      params.add(cursor.timeMs());
      params.add(cursor.id());
    }
    // One row more than the page says whether an older page exists.
    sql.append(" ORDER BY occurred_at DESC, id DESC LIMIT ").append(limit + 1);
    List<AuditEntry> rows =
        store.query(
            sql.toString(),
            params,
            rs ->
                new AuditEntry(
                    rs.getLong(1),
                    rs.getLong(2),
                    rs.getString(3),
                    rs.getString(4),
                    rs.getString(5),
                    rs.getString(6),
                    rs.getString(7),
                    rs.getString(8)));
    if (rows.size() <= limit) {
      return new AuditPage(rows, null);
    }
    List<AuditEntry> page = rows.subList(0, limit);
    AuditEntry last = page.get(page.size() - 1);
    return new AuditPage(List.copyOf(page), new Cursor(last.timeMs(), last.id()).toString());
  }
}
