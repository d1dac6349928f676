package vn.lantern.ingest.registry;

/** A registry write refused because one field is invalid; the API answers 400 naming the field. */
public final class InvalidFieldException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final String field;

  public InvalidFieldException(String field, String message) {
    super(message, null, false, false);
    this.field = field;
  }

  /** The JSON field at fault. */
  public String field() {
    return field;
  }
}
