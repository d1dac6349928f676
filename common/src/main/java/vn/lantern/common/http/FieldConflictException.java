package vn.lantern.common.http;

/**
 * A well-formed request that conflicts with the current state, because of one field (e.g. a parent
 * zone that lies inside the zone itself); {@link ApiErrors#fail} answers 409 with its error code.
 */
public class FieldConflictException extends InvalidFieldException {
  private static final long serialVersionUID = 1L;
  private final String error;

  /**
   * @param error the answer's {@code error} code
   * @param field the JSON field at fault
   */
  public FieldConflictException(String error, String field, String message) {
    super(field, message);
    this.error = error;
  }

  /** The answer's {@code error} code. */
  public String error() {
    return error;
  }
}
