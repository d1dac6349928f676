package vn.lantern.rules.rule;

import vn.lantern.common.http.InvalidFieldException;

/**
 * A rule (or other API input) that fails validation; {@link #field()} is the JSON path at fault,
 * e.g. {@code condition.conditions[1].op}.
 */
public final class InvalidRuleException extends InvalidFieldException {
  private static final long serialVersionUID = 1L;

  public InvalidRuleException(String field, String message) {
    super(field, message);
  }
}
