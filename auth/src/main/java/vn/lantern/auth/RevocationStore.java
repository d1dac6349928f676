package vn.lantern.auth;

import java.util.List;
import java.util.Optional;
import vn.lantern.common.store.RelationalStore;

/**
 * What the relational store says about a token this node's users hold: whether its user still
 * exists, is enabled and has the token's version, whether it was logged out (its {@code jti} in
 * table {@code revoked_token} until it expires), and whether its display token still exists. Every
 * node reads the same store, so a revocation on one node holds on all. Blocking: call from a worker
 * thread.
 */
public final class RevocationStore {
  private final RelationalStore store;

  public RevocationStore(RelationalStore store) {
    this.store = store;
  }

  /**
   * Why a user's token no longer counts, or empty when it does.
   *
   * @param version the token's {@code ver} claim
   */
  public Optional<String> userTokenRefusal(String username, long version, String tokenId) {
    List<String> verdicts =
        store.query(
            "SELECT u.disabled, u.token_version,"
                + " (SELECT COUNT(*) FROM revoked_token r WHERE r.jti = ?)"
                + " FROM app_user u WHERE u.username = ?",
            List.of(tokenId, username),
            rs -> {
              if (rs.getBoolean(1)) {
                return "user_disabled";
              }
              if (rs.getLong(2) != version) {
                return "user_changed";
              }
              return rs.getLong(3) > 0 ? "logged_out" : null;
            });
    if (verdicts.isEmpty()) {
      return Optional.of("user_deleted");
    }
    return Optional.ofNullable(verdicts.get(0));
  }

  /** Why a display token no longer counts, or empty when it does. */
  public Optional<String> displayTokenRefusal(String id) {
    boolean exists =
        !store
            .query("SELECT id FROM display_token WHERE id = ?", List.of(id), rs -> rs.getString(1))
            .isEmpty();
    return exists ? Optional.empty() : Optional.of("display_token_deleted");
  }

  /**
   * Denies a token until it expires, and forgets denied tokens that have expired by now (they are
   * refused for their expiry anyway).
   */
  public void revoke(String tokenId, long expiresAtMs) {
    store.inTransaction(
        c -> {
          try (var prune = c.prepareStatement("DELETE FROM revoked_token WHERE expires_at < ?")) {
            prune.setLong(1, System.currentTimeMillis());
            prune.executeUpdate();
          }
          try (var exists = c.prepareStatement("SELECT jti FROM revoked_token WHERE jti = ?")) {
            exists.setString(1, tokenId);
            try (var rs = exists.executeQuery()) {
              if (rs.next()) {
                return null;
              }
            }
          }
          try (var insert =
              c.prepareStatement("INSERT INTO revoked_token (jti, expires_at) VALUES (?, ?)")) {
            insert.setString(1, tokenId);
            insert.setLong(2, expiresAtMs);
            insert.executeUpdate();
          }
          return null;
        });
  }
}
