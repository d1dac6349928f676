package vn.lantern.auth;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.TreeSet;
import vn.lantern.common.store.RowRewriter;
import vn.lantern.common.store.ZoneReferences;

/**
 * The zones users and display tokens are limited to (comma-separated column {@code zones} of {@code
 * app_user} and {@code display_token}), moved when a zone is merged into another: a manager of the
 * old zone manages the surviving one. Token versions are left alone: the merge widens access, and
 * {@link AuthService} lets a token naming the old id see the surviving zone until it is renewed.
 */
public final class UserZones implements ZoneReferences {

  @Override
  public void move(Connection c, String from, String into) throws SQLException {
    moveIn(c, "app_user", "username", from, into);
    moveIn(c, "display_token", "id", from, into);
  }

  private static void moveIn(Connection c, String table, String key, String from, String into)
      throws SQLException {
    RowRewriter.rewrite(
        c,
        "SELECT " + key + ", zones FROM " + table,
        List.of(),
        "UPDATE " + table + " SET zones = ? WHERE " + key + " = ?",
        row -> {
          List<String> zones = List.of(row.getString(2).split(","));
          if (!zones.contains(from)) {
            return null;
          }
          TreeSet<String> next = new TreeSet<>(zones);
          next.remove(from);
          next.add(into);
          return List.of(String.join(",", next));
        });
  }
}
