package vn.lantern.rules.rule;

/**
 * A rule (or other API input) that fails validation; {@link #field()} is the JSON path at fault.
 */
public final class InvalidRuleException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final String field;

  public InvalidRuleException(String field, String message) {
    super(message);
    this.field = field;
  }

  /** JSON path of the offending field, e.g. {@code condition.conditions[1].op}. */
  public String field() {
    return field;
  }
}
