package vn.lantern.rules.regulation;

/** A regulation pack that cannot be used, naming its file and the field at fault. */
public final class InvalidPackException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  InvalidPackException(String file, String field, String reason) {
    super(file + ": " + field + " " + reason);
  }
}
