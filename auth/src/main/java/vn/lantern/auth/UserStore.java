package vn.lantern.auth;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import vn.lantern.common.store.RelationalStore;

/**
 * JDBC persistence of users in the node's relational store (table {@code app_user}, created by its
 * migrations). Every change that could end sessions raises the user's token version in the same
 * transaction, and a change that would leave no enabled admin (where there was one) is refused with
 * {@link LastAdminException}: the enabled admins' rows are locked first, so two admins demoting
 * each other at once cannot both succeed. Blocking: call from a worker thread.
 */
public final class UserStore {
  private static final String COLUMNS =
      "username, password_hash, role, zones, disabled, token_version";

  private final RelationalStore store;

  public UserStore(RelationalStore store) {
    this.store = store;
  }

  public Optional<User> find(String username) {
    return store
        .query(
            "SELECT " + COLUMNS + " FROM app_user WHERE username = ?",
            List.of(username),
            UserStore::user)
        .stream()
        .findFirst();
  }

  public List<User> all() {
    return store.query(
        "SELECT " + COLUMNS + " FROM app_user ORDER BY username", List.of(), UserStore::user);
  }

  public long count() {
    return store.query("SELECT COUNT(*) FROM app_user", List.of(), rs -> rs.getLong(1)).get(0);
  }

  /**
   * Inserts a user, or replaces the hash, role and zones of an existing one (raising its token
   * version when any of them differ, keeping its disabled flag), durably.
   *
   * @return true when created
   * @throws LastAdminException when it would demote the last enabled admin
   */
  public boolean save(User user) {
    return store.inTransaction(
        c -> {
          long admins = lockEnabledAdmins(c);
          Optional<User> existing = find(c, user.username());
          if (existing.isEmpty()) {
            try (PreparedStatement ps =
                c.prepareStatement(
                    "INSERT INTO app_user ("
                        + COLUMNS
                        + ", created_at) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
              RelationalStore.bind(
                  ps,
                  List.of(
                      user.username(),
                      user.passwordHash(),
                      user.role().json(),
                      zones(user),
                      user.disabled(),
                      user.tokenVersion(),
                      System.currentTimeMillis()));
              ps.executeUpdate();
            }
            return true;
          }
          User old = existing.get();
          if (old.passwordHash().equals(user.passwordHash())
              && old.role() == user.role()
              && old.zones().equals(user.zones())) {
            return false;
          }
          try (PreparedStatement ps =
              c.prepareStatement(
                  "UPDATE app_user SET password_hash = ?, role = ?, zones = ?,"
                      + " token_version = token_version + 1 WHERE username = ?")) {
            RelationalStore.bind(
                ps, List.of(user.passwordHash(), user.role().json(), zones(user), user.username()));
            ps.executeUpdate();
          }
          checkAdminsLeft(c, admins, user.username());
          return false;
        });
  }

  /**
   * Changes a stored user and raises its token version, durably.
   *
   * @param change the new state from the current one (its token version is ignored)
   * @return the stored user, or empty when there is no such user
   * @throws LastAdminException when it would leave no enabled admin
   */
  public Optional<User> update(String username, UnaryOperator<User> change) {
    return store.inTransaction(
        c -> {
          long admins = lockEnabledAdmins(c);
          Optional<User> current = find(c, username);
          if (current.isEmpty()) {
            return Optional.<User>empty();
          }
          User next = change.apply(current.get());
          User stored =
              new User(
                  username,
                  next.passwordHash(),
                  next.role(),
                  next.zones(),
                  next.disabled(),
                  current.get().tokenVersion() + 1);
          try (PreparedStatement ps =
              c.prepareStatement(
                  "UPDATE app_user SET password_hash = ?, role = ?, zones = ?, disabled = ?,"
                      + " token_version = ? WHERE username = ?")) {
            RelationalStore.bind(
                ps,
                List.of(
                    stored.passwordHash(),
                    stored.role().json(),
                    zones(stored),
                    stored.disabled(),
                    stored.tokenVersion(),
                    username));
            ps.executeUpdate();
          }
          checkAdminsLeft(c, admins, username);
          return Optional.of(stored);
        });
  }

  /**
   * Deletes a user, durably.
   *
   * @return false when there is no such user
   * @throws LastAdminException when it is the last enabled admin
   */
  public boolean delete(String username) {
    return store.inTransaction(
        c -> {
          long admins = lockEnabledAdmins(c);
          int deleted;
          try (PreparedStatement ps =
              c.prepareStatement("DELETE FROM app_user WHERE username = ?")) {
            ps.setString(1, username);
            deleted = ps.executeUpdate();
          }
          checkAdminsLeft(c, admins, username);
          return deleted > 0;
        });
  }

  /** Locks the enabled admins' rows (serialising changes that could remove the last one). */
  private static long lockEnabledAdmins(Connection c) throws SQLException {
    try (PreparedStatement ps =
            c.prepareStatement(
                "SELECT username FROM app_user WHERE role = 'admin' AND disabled = FALSE"
                    + " FOR UPDATE");
        ResultSet rs = ps.executeQuery()) {
      long n = 0;
      while (rs.next()) {
        n++;
      }
      return n;
    }
  }

  private static void checkAdminsLeft(Connection c, long before, String username)
      throws SQLException {
    if (before == 0) {
      return;
    }
    try (PreparedStatement ps =
            c.prepareStatement(
                "SELECT COUNT(*) FROM app_user WHERE role = 'admin' AND disabled = FALSE");
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      if (rs.getLong(1) == 0) {
        throw new LastAdminException(username);
      }
    }
  }

  private static Optional<User> find(Connection c, String username) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT " + COLUMNS + " FROM app_user WHERE username = ?")) {
      ps.setString(1, username);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(user(rs)) : Optional.empty();
      }
    }
  }

  private static User user(ResultSet rs) throws SQLException {
    String zones = rs.getString(4);
    return new User(
        rs.getString(1),
        rs.getString(2),
        Role.parse(rs.getString(3)),
        zones.isEmpty()
            ? new LinkedHashSet<>()
            : new LinkedHashSet<>(Arrays.asList(zones.split(","))),
        rs.getBoolean(5),
        rs.getLong(6));
  }

  private static String zones(User user) {
    return String.join(",", user.zones().stream().sorted().toList());
  }
}
