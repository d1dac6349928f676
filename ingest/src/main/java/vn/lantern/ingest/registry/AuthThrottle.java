package vn.lantern.ingest.registry;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Limits how many credential checks that end in failure one device id, and one client address, may
 * cause per window. An attempt is counted <em>before</em> the secret is hashed, so parallel guesses
 * cannot slip past the limit, and given back when it succeeds. Both tables are bounded in size and
 * expire, so random ids or addresses cannot grow memory.
 */
final class AuthThrottle {
  private final int maxPerId;
  private final int maxPerAddress;
  private final Cache<String, AtomicInteger> byId;
  private final Cache<String, AtomicInteger> byAddress;

  AuthThrottle(DeviceAuthSettings settings) {
    this.maxPerId = settings.maxFailuresPerId();
    this.maxPerAddress = settings.maxFailuresPerAddress();
    Duration window = Duration.ofSeconds(settings.failureWindowSeconds());
    this.byId = table(window, settings.maxTrackedKeys());
    this.byAddress = table(window, settings.maxTrackedKeys());
  }

  private static Cache<String, AtomicInteger> table(Duration window, int maxKeys) {
    return Caffeine.newBuilder().expireAfterWrite(window).maximumSize(maxKeys).build();
  }

  /**
   * Counts an attempt for {@code id} from {@code address}.
   *
   * @return false when either is over its limit: the attempt must be refused without hashing
   */
  boolean tryAttempt(String id, String address) {
    int forId = byId.get(id, k -> new AtomicInteger()).incrementAndGet();
    int forAddress = byAddress.get(address, k -> new AtomicInteger()).incrementAndGet();
    return forId <= maxPerId && forAddress <= maxPerAddress;
  }

  /** Gives back an attempt that turned out to be a success. */
  void succeeded(String id, String address) {
    release(byId, id);
    release(byAddress, address);
  }

  private static void release(Cache<String, AtomicInteger> table, String key) {
    AtomicInteger count = table.getIfPresent(key);
    if (count != null) {
      count.updateAndGet(n -> Math.max(0, n - 1));
    }
  }
}
