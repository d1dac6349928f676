package vn.lantern.auth.display;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import vn.lantern.common.store.RelationalStore;

/**
 * JDBC persistence of display tokens (table {@code display_token}); deleting the row revokes the
 * token on every node. Blocking: call from a worker thread.
 */
public final class DisplayTokenStore {
  private final RelationalStore store;

  public DisplayTokenStore(RelationalStore store) {
    this.store = store;
  }

  public void add(DisplayToken t) {
    store.update(
        "INSERT INTO display_token (id, name, zones, created_by, created_at, expires_at)"
            + " VALUES (?, ?, ?, ?, ?, ?)",
        List.of(
            t.id(),
            t.name(),
            String.join(",", t.zones().stream().sorted().toList()),
            t.createdBy(),
            t.createdAtMs(),
            t.expiresAtMs()));
  }

  public List<DisplayToken> all() {
    return store.query(
        "SELECT id, name, zones, created_by, created_at, expires_at FROM display_token"
            + " ORDER BY created_at, id",
        List.of(),
        rs ->
            new DisplayToken(
                rs.getString(1),
                rs.getString(2),
                rs.getString(3).isEmpty()
                    ? new LinkedHashSet<>()
                    : new LinkedHashSet<>(Arrays.asList(rs.getString(3).split(","))),
                rs.getString(4),
                rs.getLong(5),
                rs.getLong(6)));
  }

  /** Deletes a display token; false when there is none with this id. */
  public boolean delete(String id) {
    return store.update("DELETE FROM display_token WHERE id = ?", List.of(id)) > 0;
  }
}
