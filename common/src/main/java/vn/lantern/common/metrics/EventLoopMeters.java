package vn.lantern.common.metrics;

/**
 * Names of the event-loop meters ({@link EventLoopProbes}), as Micrometer names them: dotted, shown
 * on {@code /metrics} with underscores and the timer's {@code _seconds} unit.
 */
public final class EventLoopMeters {
  /**
   * How much later than asked a task runs on one event loop, tagged {@code loop} (the number of its
   * thread): {@code lantern_vertx_event_loop_delay_seconds}.
   */
  public static final String DELAY = "lantern.vertx.event.loop.delay";

  private EventLoopMeters() {}
}
