package vn.lantern.auth;

/** A change that would leave no enabled admin: refused (409 {@code last_admin}). */
public final class LastAdminException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public LastAdminException(String username) {
    super(
        "user " + username + " is the last enabled admin: add or enable another admin first",
        null,
        false,
        false);
  }
}
