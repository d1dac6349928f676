package vn.lantern.rules.eval;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import vn.lantern.rules.Directory;
import vn.lantern.rules.rule.Rule;

/**
 * Runs dry runs on threads of their own, never on an event loop nor on the pool that rebuilds the
 * engine's windows: at most {@link DryRunLimits#maxConcurrent()} at once, and more are refused at
 * once ({@link BusyException}), never queued. Each run reads history in pages whose length adapts
 * to the data's density (at most {@link #ROWS_PER_SERIES} readings of one device in a page), so it
 * holds one page and each device's state, and stops early, saying so in its answer, once it has
 * read {@link DryRunLimits#maxPoints()} readings, listed {@link DryRunLimits#maxAlerts()} alerts,
 * or run {@link DryRunLimits#timeoutSeconds()}.
 */
public final class DryRuns {

  /** As many dry runs as allowed are running: try again later. */
  public static final class BusyException extends RuntimeException {
    BusyException(int running) {
      super(running + " dry runs are running, the most allowed at once", null, false, false);
    }
  }

  /** Most readings of one device's series read in one page. */
  static final int ROWS_PER_SERIES = 10_000;

  private static final int TARGET_PAGE_SAMPLES = 50_000;
  private static final long MIN_PAGE_MS = 60_000;
  private static final long MAX_PAGE_MS = 86_400_000;
  private static final long FIRST_PAGE_MS = 3_600_000;

  private final WorkerExecutor worker;
  private final HistoryReader history;
  private final Directory directory;
  private final DryRunLimits limits;
  private final WindowLimits windows;
  private final AtomicInteger running = new AtomicInteger();
  private final Counter refused;
  private final Counter stoppedEarly;

  public DryRuns(
      Vertx vertx,
      HistoryReader history,
      Directory directory,
      DryRunLimits limits,
      WindowLimits windows,
      MeterRegistry metrics) {
    this.worker =
        vertx.createSharedWorkerExecutor(
            "lantern-rules-dry-run",
            limits.maxConcurrent(),
            // The run stops itself at its timeout; a page read may take a little longer.
            limits.timeoutSeconds() + 60L,
            TimeUnit.SECONDS);
    this.history = history;
    this.directory = directory;
    this.limits = limits;
    this.windows = windows;
    Gauge.builder("lantern.rules.dry_run.running", running, AtomicInteger::get)
        .description("dry runs being evaluated")
        .register(metrics);
    this.refused = metrics.counter("lantern.rules.dry_run.refused");
    this.stoppedEarly = metrics.counter("lantern.rules.dry_run.stopped_early");
  }

  public DryRunLimits limits() {
    return limits;
  }

  /**
   * Evaluates {@code rule} over {@code [fromMs, toMs]} of stored history.
   *
   * @return the answer, or a {@link BusyException} failure when too many runs are going on
   */
  public Future<JsonObject> run(Rule rule, long fromMs, long toMs) {
    int now = running.incrementAndGet();
    if (now > limits.maxConcurrent()) {
      running.decrementAndGet();
      refused.increment();
      return Future.failedFuture(new BusyException(now - 1));
    }
    return worker
        .executeBlocking(() -> evaluate(rule, fromMs, toMs), false)
        .onComplete(done -> running.decrementAndGet());
  }

  private JsonObject evaluate(Rule rule, long fromMs, long toMs) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(limits.timeoutSeconds());
    DryRun run =
        new DryRun(
            rule,
            directory.devicesIn(rule.scope()),
            fromMs,
            toMs,
            windows.budget(),
            limits.maxAlerts());
    Set<String> types = directory.typesIn(rule.scope().zone());
    List<String> storedUnder = directory.storedUnder(rule.scope().zone());
    long read = 0;
    long pageMs = FIRST_PAGE_MS;
    long start = fromMs;
    while (start <= toMs) {
      long end = Math.min(toMs, start + pageMs - 1);
      List<HistoryReader.Sample> page =
          history.read(rule, storedUnder, types, start, end, ROWS_PER_SERIES);
      if (pageMs > MIN_PAGE_MS && fullSeries(page)) {
        pageMs = Math.max(MIN_PAGE_MS, pageMs / 4); // a device's page was cut: read it again
        continue;
      }
      read += page.size();
      if (read > limits.maxPoints()) {
        run.stop("more than " + limits.maxPoints() + " readings");
      } else if (fullSeries(page)) {
        run.stop("a device sent more than " + ROWS_PER_SERIES + " readings a minute");
      }
      if (!run.feed(page)) {
        break;
      }
      if (System.nanoTime() > deadline) {
        run.stop("longer than " + limits.timeoutSeconds() + " s");
        break;
      }
      start = end + 1;
      if (page.size() > TARGET_PAGE_SAMPLES) {
        pageMs = Math.max(MIN_PAGE_MS, pageMs / 2);
      } else if (page.size() < TARGET_PAGE_SAMPLES / 4) {
        pageMs = Math.min(MAX_PAGE_MS, pageMs * 2);
      }
    }
    JsonObject answer = run.finish();
    if (!answer.getBoolean("complete")) {
      stoppedEarly.increment();
    }
    return answer;
  }

  /** Whether some device filled its page's limit, so readings of that page may be missing. */
  private static boolean fullSeries(List<HistoryReader.Sample> page) {
    if (page.size() < ROWS_PER_SERIES) {
      return false;
    }
    // A row is one timestamp of a device; each of its fields is a sample.
    Map<String, long[]> rows = new HashMap<>();
    for (HistoryReader.Sample s : page) {
      long[] seen = rows.computeIfAbsent(s.device().id(), id -> new long[] {Long.MIN_VALUE, 0});
      if (seen[0] != s.ts()) {
        seen[0] = s.ts();
        if (++seen[1] >= ROWS_PER_SERIES) {
          return true;
        }
      }
    }
    return false;
  }

  /** Gives the threads back; runs still going finish first. */
  public Future<Void> close() {
    return worker.close();
  }
}
