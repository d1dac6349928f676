package vn.lantern.auth;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import vn.lantern.common.store.RelationalStore;

/**
 * JDBC persistence of users in the node's relational store (table {@code app_user}, created by its
 * migrations). Blocking: call from a worker thread.
 */
public final class UserStore {
  private final RelationalStore store;
  private final DataSource db;

  public UserStore(RelationalStore store) {
    this.store = store;
    this.db = store.dataSource();
  }

  public Optional<User> find(String username) {
    try (Connection c = db.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT username, password_hash, role, zones FROM app_user WHERE username = ?")) {
      ps.setString(1, username);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        return Optional.of(
            new User(
                rs.getString(1),
                rs.getString(2),
                Role.parse(rs.getString(3)),
                rs.getString(4).isEmpty()
                    ? new LinkedHashSet<>()
                    : new LinkedHashSet<>(Arrays.asList(rs.getString(4).split(",")))));
      }
    } catch (SQLException e) {
      throw new IllegalStateException("query failed: " + e.getMessage(), e);
    }
  }

  public List<User> all() {
    List<String> names = new ArrayList<>();
    try (Connection c = db.getConnection();
        PreparedStatement ps =
            c.prepareStatement("SELECT username FROM app_user ORDER BY username");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        names.add(rs.getString(1));
      }
    } catch (SQLException e) {
      throw new IllegalStateException("query failed: " + e.getMessage(), e);
    }
    return names.stream().map(name -> find(name).orElseThrow()).toList();
  }

  public long count() {
    try (Connection c = db.getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM app_user");
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException("query failed: " + e.getMessage(), e);
    }
  }

  /** Inserts or replaces a user, durably; returns true when created. */
  public boolean save(User user) {
    return store.upsert(
        "app_user",
        List.of("username", "password_hash", "role", "zones", "created_at"),
        1,
        List.of(
            user.username(),
            user.passwordHash(),
            user.role().json(),
            String.join(",", user.zones()),
            System.currentTimeMillis()));
  }
}
