package vn.lantern.auth;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Slows password guessing at {@code POST /api/v1/login}: at most {@link #MAX_PER_USER} failed
 * attempts per user name and {@link #MAX_PER_CLIENT} per client address within {@link #WINDOW_MS};
 * beyond that every attempt, right or wrong, is refused until the oldest failure leaves the window,
 * so a guesser learns nothing while blocked. A successful login clears the user name's failures. In
 * memory and per node: enough to make online guessing slow, and it forgets on restart.
 */
public final class LoginThrottle {
  static final int MAX_PER_USER = 5;
  static final int MAX_PER_CLIENT = 50;
  static final long WINDOW_MS = 15 * 60_000L;

  /** Bounds memory under a flood of random user names: expired entries are dropped past this. */
  private static final int MAX_KEYS = 10_000;

  private final LongSupplier clock;
  private final Map<String, Deque<Long>> failures = new HashMap<>();

  public LoginThrottle() {
    this(System::currentTimeMillis);
  }

  LoginThrottle(LongSupplier clock) {
    this.clock = clock;
  }

  /**
   * How long the attempt must wait, in milliseconds; 0 when it may go ahead.
   *
   * @param username the user name tried
   * @param client the client's address
   */
  public synchronized long retryAfterMs(String username, String client) {
    long now = clock.getAsLong();
    return Math.max(
        waitFor(userKey(username), MAX_PER_USER, now),
        waitFor(clientKey(client), MAX_PER_CLIENT, now));
  }

  /** Records a failed attempt. */
  public synchronized void failed(String username, String client) {
    long now = clock.getAsLong();
    if (failures.size() >= MAX_KEYS) {
      failures.values().forEach(times -> expire(times, now));
      failures.values().removeIf(Deque::isEmpty);
    }
    failures.computeIfAbsent(userKey(username), k -> new ArrayDeque<>()).addLast(now);
    failures.computeIfAbsent(clientKey(client), k -> new ArrayDeque<>()).addLast(now);
  }

  /** Records a successful login: the user name's failures are forgiven. */
  public synchronized void succeeded(String username) {
    failures.remove(userKey(username));
  }

  private long waitFor(String key, int max, long now) {
    Deque<Long> times = failures.get(key);
    if (times == null) {
      return 0;
    }
    expire(times, now);
    if (times.size() < max) {
      return 0;
    }
    return times.peekFirst() + WINDOW_MS - now;
  }

  private static void expire(Deque<Long> times, long now) {
    while (!times.isEmpty() && times.peekFirst() <= now - WINDOW_MS) {
      times.pollFirst();
    }
  }

  private static String userKey(String username) {
    return "u:" + username.toLowerCase(Locale.ROOT);
  }

  private static String clientKey(String client) {
    return "c:" + client;
  }
}
