package vn.lantern.rules.alert;

/** An operation that needs an open alert was asked of a resolved one. */
public final class AlertResolvedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public AlertResolvedException(String id) {
    super("alert " + id + " is resolved");
  }
}
