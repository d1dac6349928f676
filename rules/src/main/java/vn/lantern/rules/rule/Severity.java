package vn.lantern.rules.rule;

import java.util.Locale;

/** How serious an alert is; ordered, so escalation can only raise it. */
public enum Severity {
  INFO,
  WARNING,
  CRITICAL;

  /** The JSON name, e.g. {@code warning}. */
  public String json() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses a JSON name, or throws naming {@code field}. */
  public static Severity parse(Object value, String field) {
    if (value instanceof String s) {
      for (Severity severity : values()) {
        if (severity.json().equals(s)) {
          return severity;
        }
      }
    }
    throw new InvalidRuleException(field, "must be one of info, warning, critical");
  }
}
