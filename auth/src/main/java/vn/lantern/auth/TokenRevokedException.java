package vn.lantern.auth;

/**
 * A token that verifies but no longer counts: its user was disabled, deleted or changed, it was
 * logged out, or its display token was deleted. Answered with 401 {@code token_revoked}.
 */
public final class TokenRevokedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String username;
  private final String tokenId;

  /**
   * @param username whose token it is
   * @param tokenId the token's {@code jti}
   * @param reason why it no longer counts, for the audit log (e.g. {@code disabled})
   */
  public TokenRevokedException(String username, String tokenId, String reason) {
    super(reason, null, false, false);
    this.username = username;
    this.tokenId = tokenId;
  }

  public String username() {
    return username;
  }

  public String tokenId() {
    return tokenId;
  }
}
