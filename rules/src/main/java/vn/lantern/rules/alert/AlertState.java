package vn.lantern.rules.alert;

import java.util.Locale;

/** An alert's lifecycle: firing → acknowledged → resolved (acknowledging is optional). */
public enum AlertState {
  FIRING,
  ACKNOWLEDGED,
  RESOLVED;

  public String json() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses a JSON name; returns null for an unknown one. */
  public static AlertState parse(String value) {
    for (AlertState state : values()) {
      if (state.json().equals(value)) {
        return state;
      }
    }
    return null;
  }
}
