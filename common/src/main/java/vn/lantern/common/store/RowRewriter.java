package vn.lantern.common.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Rewrites rows in Java where SQL alone cannot (a value inside a JSON column or a comma-separated
 * list), within the caller's transaction: reads the rows a query selects, asks for each one what it
 * becomes, and updates the changed ones one by one by their key. All rows are read before the first
 * update, so the query's result set is closed by then on every driver.
 */
public final class RowRewriter {

  /** What one row becomes. */
  @FunctionalInterface
  public interface Rewrite {

    /**
     * @param row the current row of the query; column 1 is the row's key
     * @return the values bound to the update before the key, or null to leave the row as it is
     */
    List<?> of(ResultSet row) throws SQLException;
  }

  private RowRewriter() {}

  /**
   * Rewrites the rows {@code select} (with {@code params}) returns.
   *
   * @param select a query whose first column is the row's key
   * @param update an update whose last parameter is the key and whose others are {@code rewrite}'s
   *     values, in order
   * @return how many rows were rewritten
   */
  public static int rewrite(
      Connection c, String select, List<?> params, String update, Rewrite rewrite)
      throws SQLException {
    Map<Object, List<?>> changed = new LinkedHashMap<>();
    try (PreparedStatement ps = c.prepareStatement(select)) {
      RelationalStore.bind(ps, params);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          List<?> values = rewrite.of(rs);
          if (values != null) {
            changed.put(rs.getObject(1), values);
          }
        }
      }
    }
    try (PreparedStatement ps = c.prepareStatement(update)) {
      for (Map.Entry<Object, List<?>> row : changed.entrySet()) {
        List<?> values = row.getValue();
        RelationalStore.bind(ps, values);
        ps.setObject(values.size() + 1, row.getKey());
        ps.executeUpdate();
      }
    }
    return changed.size();
  }
}
