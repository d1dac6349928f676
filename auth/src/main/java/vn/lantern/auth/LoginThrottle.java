package vn.lantern.auth;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Slows password guessing at {@code POST /api/v1/login}: at most {@link #MAX_PER_USER} attempts per
 * user name from one client address, and {@link #MAX_PER_CLIENT} per client address across user
 * names, within {@link #WINDOW_MS}. Keying by user and address means a stranger's flood locks out
 * only the stranger, never the real user at another address. An attempt is counted when it is
 * admitted, before the password is hashed, so parallel guesses cannot pass the limit; beyond it
 * every attempt, right or wrong, is refused until the oldest leaves the window, so a guesser learns
 * nothing while blocked. A successful login forgives the user name at that address. Memory is
 * bounded: keys are clipped to {@link #MAX_KEY_CHARS} characters, each key holds at most its limit
 * of times, and past {@link #MAX_KEYS} keys the oldest is dropped. In memory and per node: enough
 * to make online guessing slow, and it forgets on restart.
 */
public final class LoginThrottle {
  static final int MAX_PER_USER = 5;
  static final int MAX_PER_CLIENT = 50;
  static final long WINDOW_MS = 15 * 60_000L;
  static final int MAX_KEYS = 10_000;

  /** User names are at most 64 characters; anything longer is clipped, not kept whole. */
  static final int MAX_KEY_CHARS = 64;

  private final LongSupplier clock;

  /** Attempt times per key, oldest key first; the eldest is evicted past {@link #MAX_KEYS}. */
  private final Map<String, Deque<Long>> attempts =
      new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Deque<Long>> eldest) {
          return size() > MAX_KEYS;
        }
      };

  public LoginThrottle() {
    this(System::currentTimeMillis);
  }

  LoginThrottle(LongSupplier clock) {
    this.clock = clock;
  }

  /**
   * Admits and counts an attempt, or says how long it must wait.
   *
   * @param username the user name tried
   * @param client the client's address
   * @return 0 when the attempt may go ahead (it is then counted), else the wait in milliseconds
   */
  public synchronized long acquire(String username, String client) {
    long now = clock.getAsLong();
    String user = userKey(username, client);
    String address = clientKey(client);
    long wait = Math.max(waitFor(user, MAX_PER_USER, now), waitFor(address, MAX_PER_CLIENT, now));
    if (wait > 0) {
      return wait;
    }
    attempts.computeIfAbsent(user, k -> new ArrayDeque<>()).addLast(now);
    attempts.computeIfAbsent(address, k -> new ArrayDeque<>()).addLast(now);
    return 0;
  }

  /** Uncounts an admitted attempt that was never checked (e.g. the hashing pool was full). */
  public synchronized void cancelled(String username, String client) {
    uncount(userKey(username, client));
    uncount(clientKey(client));
  }

  /** Records a successful login: the user name's attempts from that address are forgiven. */
  public synchronized void succeeded(String username, String client) {
    attempts.remove(userKey(username, client));
    uncount(clientKey(client));
  }

  /** How many keys are tracked now. */
  synchronized int trackedKeys() {
    return attempts.size();
  }

  private void uncount(String key) {
    Deque<Long> times = attempts.get(key);
    if (times != null) {
      times.pollLast();
      if (times.isEmpty()) {
        attempts.remove(key);
      }
    }
  }

  private long waitFor(String key, int max, long now) {
    Deque<Long> times = attempts.get(key);
    if (times == null) {
      return 0;
    }
    while (!times.isEmpty() && times.peekFirst() <= now - WINDOW_MS) {
      times.pollFirst();
    }
    if (times.size() < max) {
      return 0;
    }
    return times.peekFirst() + WINDOW_MS - now;
  }

  private static String userKey(String username, String client) {
    return "u:" + clip(username).toLowerCase(Locale.ROOT) + '@' + clip(client);
  }

  private static String clientKey(String client) {
    return "c:" + clip(client);
  }

  private static String clip(String s) {
    return s.length() <= MAX_KEY_CHARS ? s : s.substring(0, MAX_KEY_CHARS);
  }
}
