package vn.lantern.common.http;

/**
 * Input refused because one field is invalid; {@link ApiErrors#fail} answers 400 naming the field.
 * Expected bad input, so it carries no stack trace.
 */
public class InvalidFieldException extends RuntimeException {
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
