package vn.lantern.sim.progress;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Progress of long work on stderr: on a terminal one live line (done/total, rate, ETA) redrawn
 * several times a second; otherwise (a log file, a pipe, CI) a plain line every few seconds.
 *
 * <p>Hand-written because the progress-bar libraries for Java redraw with carriage returns whatever
 * the output is, which fills log files, and have no periodic plain-line mode.
 */
public final class Progress implements AutoCloseable {
  private static final long LIVE_EVERY_MS = 250;
  private static final long LINE_EVERY_MS = 5_000;

  private final String task;
  private final String unit;
  private final LongSupplier done;
  private final LongSupplier total;
  private final PrintStream out;
  private final boolean live;
  private final long startNanos = System.nanoTime();
  private volatile long endNanos; // a run of known length: ETA from the clock; 0 = from the rate
  private final ScheduledExecutorService timer;
  private boolean closed;

  Progress(
      String task,
      String unit,
      LongSupplier done,
      LongSupplier total,
      PrintStream out,
      boolean live,
      long everyMs) {
    this.task = task;
    this.unit = unit;
    this.done = done;
    this.total = total;
    this.out = out;
    this.live = live;
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "progress");
              t.setDaemon(true);
              return t;
            });
    timer.scheduleAtFixedRate(this::print, everyMs, everyMs, TimeUnit.MILLISECONDS);
  }

  /**
   * Starts reporting on stderr.
   *
   * @param task what is being done, e.g. {@code backfill}
   * @param unit what {@code done} counts, e.g. {@code readings}
   * @param total the amount of work, or a value &le; 0 while unknown (then no ETA)
   */
  public static Progress start(String task, String unit, LongSupplier done, LongSupplier total) {
    boolean live = isTerminal();
    return new Progress(
        task, unit, done, total, System.err, live, live ? LIVE_EVERY_MS : LINE_EVERY_MS);
  }

  /**
   * Starts reporting work that runs for a known time (a live run, a benchmark): the ETA is the time
   * left, {@code done} is counted without a total.
   */
  public static Progress forDuration(String task, String unit, LongSupplier done, Duration length) {
    Progress progress = start(task, unit, done, () -> 0);
    progress.endNanos = progress.startNanos + length.toNanos();
    return progress;
  }

  /** Java 17's console is non-null only when both stdin and stdout are a terminal. */
  private static boolean isTerminal() {
    return System.console() != null && !"dumb".equals(System.getenv("TERM"));
  }

  /** The current line, e.g. {@code backfill 1200/5000 readings 24% 310 readings/s ETA 0:12}. */
  String line() {
    long d = done.getAsLong();
    long t = total.getAsLong();
    double seconds = Math.max(1e-3, (System.nanoTime() - startNanos) / 1e9);
    double rate = d / seconds;
    StringBuilder line = new StringBuilder(task).append(' ');
    if (t > 0) {
      line.append(d)
          .append('/')
          .append(t)
          .append(' ')
          .append(unit)
          .append(String.format(Locale.ROOT, " %d%%", Math.min(100, d * 100 / t)));
    } else {
      line.append(d).append(' ').append(unit);
    }
    line.append(String.format(Locale.ROOT, " %.0f %s/s", rate, unit));
    line.append(" elapsed ").append(clock(Duration.ofMillis((long) (seconds * 1000))));
    if (endNanos != 0) {
      long left = Math.max(0, endNanos - System.nanoTime());
      line.append(" ETA ").append(clock(Duration.ofNanos(left)));
    } else if (t > 0 && d < t && rate > 0) {
      line.append(" ETA ").append(clock(Duration.ofMillis((long) ((t - d) / rate * 1000))));
    }
    return line.toString();
  }

  private synchronized void print() {
    if (closed) {
      return;
    }
    if (live) {
      out.print("\r" + line() + "\033[K");
      out.flush();
    } else {
      out.println(line());
    }
  }

  static String clock(Duration d) {
    long s = d.toSeconds();
    return s >= 3600
        ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
        : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
  }

  /** Stops reporting and prints the final line. */
  @Override
  public void close() {
    timer.shutdownNow();
    synchronized (this) {
      closed = true;
      out.println((live ? "\r" : "") + line() + (live ? "\033[K" : ""));
      out.flush();
    }
  }
}
