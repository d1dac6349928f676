package vn.lantern.common.logging;

import java.util.function.BooleanSupplier;

/**
 * At most one log line a window for one kind of event, counting the events held back in between: a
 * storm of the same event costs the log one line a window, and that line says how many events it
 * stands for.
 */
public final class LogWindow {
  private final long windowMs;
  private long events;
  private long loggedAt;
  private boolean everLogged;

  /**
   * @param windowMs the shortest time between two lines
   */
  public LogWindow(long windowMs) {
    this.windowMs = windowMs;
  }

  /**
   * Counts one event.
   *
   * @return 0 when no line is due; otherwise the events the line stands for: this one and those
   *     held back since the previous line
   */
  public long take(long nowMs) {
    return take(nowMs, () -> true);
  }

  /**
   * Counts one event, logging it only if {@code mayLog} also agrees (asked only when the window
   * allows a line, e.g. a budget shared by many windows); a refused line holds the event back.
   *
   * @return as {@link #take(long)}
   */
  public synchronized long take(long nowMs, BooleanSupplier mayLog) {
    events++;
    if ((everLogged && nowMs - loggedAt < windowMs) || !mayLog.getAsBoolean()) {
      return 0;
    }
    long count = events;
    events = 0;
    loggedAt = nowMs;
    everLogged = true;
    return count;
  }
}
