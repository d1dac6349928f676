package vn.lantern.rules.auth;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import vn.lantern.rules.db.RulesDatabase;

/** JDBC persistence of users. Blocking: call from a worker thread. */
public final class UserStore {
  private final RulesDatabase db;

  public UserStore(RulesDatabase db) {
    this.db = db;
  }

  public Optional<User> find(String username) {
    return db
        .query(
            "SELECT username, password_hash, role, zones FROM app_user WHERE username = ?",
            List.of(username),
            rs ->
                new User(
                    rs.getString(1),
                    rs.getString(2),
                    Role.parse(rs.getString(3)),
                    rs.getString(4).isEmpty()
                        ? new LinkedHashSet<>()
                        : new LinkedHashSet<>(Arrays.asList(rs.getString(4).split(",")))))
        .stream()
        .findFirst();
  }

  public List<User> all() {
    return db.query(
        "SELECT username FROM app_user ORDER BY username",
        List.of(),
        rs -> find(rs.getString(1)).orElseThrow());
  }

  public long count() {
    return db.query("SELECT COUNT(*) FROM app_user", List.of(), rs -> rs.getLong(1)).get(0);
  }

  /** Inserts or replaces a user; returns true when created. */
  public boolean save(User user) {
    boolean exists = find(user.username()).isPresent();
    db.update(
        "MERGE INTO app_user (username, password_hash, role, zones, created_at) KEY (username)"
            + " VALUES (?, ?, ?, ?, ?)",
        List.of(
            user.username(),
            user.passwordHash(),
            user.role().json(),
            String.join(",", user.zones()),
            System.currentTimeMillis()));
    return !exists;
  }
}
