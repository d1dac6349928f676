package vn.lantern.ioc.stream;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.lantern.auth.Access;
import vn.lantern.auth.ApiGuard;
import vn.lantern.auth.ApiRoutes;
import vn.lantern.auth.AuthService;
import vn.lantern.auth.Caller;
import vn.lantern.common.http.ApiErrors;

/**
 * {@code GET /api/v1/stream}: Server-Sent Events with KPI updates ({@code kpi}) and alert
 * transitions ({@code alert}) of the zones the caller may see. A client resumes with the {@code
 * Last-Event-ID} header (sent by EventSource on reconnect) or a {@code lastEventId} query
 * parameter; if the events it missed are no longer buffered it gets a {@code reset} event and
 * should reload the current state. Since a browser's EventSource cannot send headers, the bearer
 * token may also come from the {@code lantern_token} cookie set at login; never from the URL.
 *
 * <p>Bounded: at most {@code maxSubscribers} streams are open and {@code maxPerUser} per user
 * (beyond, {@code 429} with {@code Retry-After}); a subscriber that does not read fast enough to
 * keep its write queue under {@link #WRITE_QUEUE_BYTES} is disconnected rather than buffered
 * without bound, and resumes from the event buffer when it reconnects.
 */
public final class StreamApi {
  private static final Logger LOG = LoggerFactory.getLogger(StreamApi.class);

  /** Cookie the console may keep its token in. */
  public static final String TOKEN_COOKIE = ApiGuard.TOKEN_COOKIE;

  /** Bytes waiting to be written to one subscriber before it counts as too slow. */
  static final int WRITE_QUEUE_BYTES = 256 * 1024;

  /** How often an open stream checks that its token was not revoked (it ends when it was). */
  static final long REVOCATION_CHECK_MS = 2_000;

  private static final int RETRY_AFTER_S = 10;

  private final Vertx vertx;
  private final EventHub hub;
  private final long heartbeatMs;
  private final int maxSubscribers;
  private final int maxPerUser;
  private final AtomicInteger open = new AtomicInteger();
  private final Map<String, Integer> openPerUser = new ConcurrentHashMap<>();
  private final MeterRegistry metrics;
  private final Counter slowClosed;

  /**
   * @param maxSubscribers most streams open at once
   * @param maxPerUser most streams one user has open at once
   */
  public StreamApi(
      Vertx vertx,
      EventHub hub,
      long heartbeatMs,
      int maxSubscribers,
      int maxPerUser,
      MeterRegistry metrics) {
    this.vertx = vertx;
    this.hub = hub;
    this.heartbeatMs = heartbeatMs;
    this.maxSubscribers = maxSubscribers;
    this.maxPerUser = maxPerUser;
    this.metrics = metrics;
    this.slowClosed = metrics.counter("lantern.stream.slow.closed");
  }

  /** Takes a place for a new stream of {@code user}; returns why not, or null. */
  private String admit(String user) {
    if (open.incrementAndGet() > maxSubscribers) {
      open.decrementAndGet();
      return "total";
    }
    boolean[] admitted = {false};
    openPerUser.compute(
        user,
        (key, n) -> {
          int count = n == null ? 0 : n;
          admitted[0] = count < maxPerUser;
          return admitted[0] ? count + 1 : n;
        });
    if (!admitted[0]) {
      open.decrementAndGet();
      return "user";
    }
    return null;
  }

  private void leave(String user) {
    open.decrementAndGet();
    openPerUser.computeIfPresent(user, (key, n) -> n <= 1 ? null : n - 1);
  }

  /**
   * Mounts the stream for any signed-in user; the token may also come from the console's cookie,
   * since EventSource cannot set headers.
   */
  public void mount(ApiRoutes api) {
    api.get("/api/v1/stream", Access.signedIn().withCookieToken(), this::stream);
  }

  private void stream(RoutingContext ctx) {
    Caller caller = ctx.get(AuthService.CALLER);
    String lastId = ctx.request().getHeader("Last-Event-ID");
    if (lastId == null) {
      lastId = ctx.queryParams().get("lastEventId");
    }
    Long lastSeen = null;
    if (lastId != null && !lastId.isBlank()) {
      try {
        lastSeen = Long.parseLong(lastId.trim());
      } catch (NumberFormatException e) {
        ApiErrors.send(
            ctx, 400, "invalid_field", "Last-Event-ID must be an event id", "Last-Event-ID");
        return;
      }
    }
    String user = caller == null ? "" : caller.username();
    String refused = admit(user);
    if (refused != null) {
      metrics.counter("lantern.stream.refused", "reason", refused).increment();
      ctx.response().putHeader("Retry-After", String.valueOf(RETRY_AFTER_S));
      ApiErrors.send(
          ctx,
          429,
          "too_many_streams",
          refused.equals("user")
              ? "at most " + maxPerUser + " live streams per user"
              : "at most " + maxSubscribers + " live streams at once",
          null);
      return;
    }
    HttpServerResponse response = ctx.response();
    response.setWriteQueueMaxSize(WRITE_QUEUE_BYTES);
    response
        .setChunked(true)
        .putHeader("Content-Type", "text/event-stream; charset=utf-8")
        .putHeader("Cache-Control", "no-cache")
        .putHeader("X-Accel-Buffering", "no");
    Context context = vertx.getOrCreateContext();
    Consumer<StreamEvent> subscriber =
        event -> {
          if (caller == null || caller.canSee(event.zone())) {
            context.runOnContext(v -> send(response, event.frame()));
          }
        };
    // Missed events are written in the same context task as the subscription's first deliveries
    // are queued behind, so they go out first and in order.
    EventHub.Resume resume = hub.subscribe(lastSeen, subscriber);
    StringBuilder first = new StringBuilder("retry: 2000\n\n");
    if (resume.gap()) {
      first.append("event: reset\ndata: {}\n\n");
    }
    for (StreamEvent e : resume.missed()) {
      if (caller == null || caller.canSee(e.zone())) {
        first.append(e.frame());
      }
    }
    send(response, first.toString());
    long heartbeat = vertx.setPeriodic(heartbeatMs, id -> send(response, ": keep-alive\n\n"));
    long[] revocationCheck = new long[1];
    AtomicBoolean closed = new AtomicBoolean();
    Runnable stop =
        () -> {
          if (closed.compareAndSet(false, true)) {
            hub.unsubscribe(subscriber);
            vertx.cancelTimer(heartbeat);
            vertx.cancelTimer(revocationCheck[0]);
            leave(user);
          }
        };
    // A revoked token (logout, user changed, display token deleted) ends its open stream too; the
    // client's reconnect is then refused with 401 token_revoked.
    revocationCheck[0] =
        vertx.setPeriodic(
            REVOCATION_CHECK_MS,
            id ->
                ApiGuard.stillValid(ctx)
                    .onSuccess(
                        valid -> {
                          if (!valid && !response.ended()) {
                            LOG.info(
                                "event=stream_closed reason=token_revoked user={}",
                                caller == null ? "" : caller.username());
                            stop.run();
                            response.end();
                          }
                        }));
    response.closeHandler(v -> stop.run());
    if (response.closed()) {
      stop.run(); // the client left before the handler was set
    }
    LOG.debug(
        "event=stream_opened user={} resumed={} missed={}",
        caller == null ? "" : caller.username(),
        lastSeen != null,
        resume.missed().size());
  }

  /** Writes to a subscriber; one whose write queue is full is too slow and is disconnected. */
  private void send(HttpServerResponse response, String text) {
    if (response.closed() || response.ended()) {
      return;
    }
    if (response.writeQueueFull()) {
      slowClosed.increment();
      LOG.info("event=stream_slow_subscriber_closed queued_bytes_max={}", WRITE_QUEUE_BYTES);
      response.reset();
      return;
    }
    response.write(text);
  }
}
