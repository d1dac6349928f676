package vn.lantern.ingest.pipeline;

/**
 * At most a fixed number of log lines of one kind per minute, however fast a client sends: a flood
 * of bad CONNECTs costs the log a few lines, and the next line that gets through says how many were
 * held back. Metrics still count every event.
 */
public final class LogBudget {
  private static final long WINDOW_MS = 60_000;
  private static final int MAX_TEXT = 64;

  private final int linesPerMinute;
  private long windowStart;
  private int used;
  private long suppressed;

  /**
   * @param linesPerMinute lines let through per minute
   */
  public LogBudget(int linesPerMinute) {
    this.linesPerMinute = linesPerMinute;
  }

  /**
   * Takes one line from the budget.
   *
   * @return -1 when the line must not be logged; otherwise how many lines were held back since the
   *     last one that got through
   */
  public synchronized long take(long nowMs) {
    if (nowMs - windowStart >= WINDOW_MS) {
      windowStart = nowMs;
      used = 0;
    }
    if (used >= linesPerMinute) {
      suppressed++;
      return -1;
    }
    used++;
    long held = suppressed;
    suppressed = 0;
    return held;
  }

  /**
   * Client-chosen text (an MQTT username, a PSK identity) as it may appear in a log line: at most
   * 64 characters, control characters and quotes replaced, so it can neither flood nor forge lines.
   */
  public static String clip(String text) {
    if (text == null) {
      return null;
    }
    int length = Math.min(text.length(), MAX_TEXT);
    StringBuilder clipped = new StringBuilder(length + 3);
    for (int i = 0; i < length; i++) {
      char c = text.charAt(i);
      clipped.append(Character.isISOControl(c) || c == '"' || c == ' ' ? '?' : c);
    }
    if (text.length() > MAX_TEXT) {
      clipped.append("...");
    }
    return clipped.toString();
  }
}
