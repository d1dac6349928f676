package vn.lantern.ingest.registry;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import vn.lantern.ingest.ConnectionRefusalLog.Limit;

/**
 * Limits how many credential checks that end in failure one device id, and one client address, may
 * cause per window. Checks in flight are counted <em>before</em> the secret is hashed, so parallel
 * guesses cannot slip far past a limit:
 *
 * <ul>
 *   <li>per id, failures and checks in flight together stay within the limit;
 *   <li>per address, failures are bounded by the limit and checks in flight only by the hashing
 *       pool's queue ({@code maxPending}): a whole site behind one address (a site router, a
 *       carrier's NAT) reconnecting at once after a restart is checked, not refused, and guesses
 *       stop once the failures reach the limit.
 * </ul>
 *
 * A refusal says which bound it hit: too many failures is answered like a wrong secret (no oracle),
 * a full hashing queue as "server busy", so an honest device retries. A refused attempt counts for
 * nothing, so refusals cannot prolong a lock-out. Both tables are bounded in size and expire, so
 * random ids or addresses cannot grow memory.
 */
final class AuthThrottle {
  private final int maxPerId;
  private final int maxPerAddress;
  private final int maxInFlightPerAddress;
  private final Cache<String, Tally> byId;
  private final Cache<String, Tally> byAddress;

  AuthThrottle(DeviceAuthSettings settings) {
    this.maxPerId = settings.maxFailuresPerId();
    this.maxPerAddress = settings.maxFailuresPerAddress();
    this.maxInFlightPerAddress = settings.maxPending();
    Duration window = Duration.ofSeconds(settings.failureWindowSeconds());
    this.byId = table(window, settings.maxTrackedKeys());
    this.byAddress = table(window, settings.maxTrackedKeys());
  }

  private static Cache<String, Tally> table(Duration window, int maxKeys) {
    return Caffeine.newBuilder().expireAfterWrite(window).maximumSize(maxKeys).build();
  }

  /** Why a check was refused without hashing: the limit that refused it. */
  enum Refusal {
    /** Too many failures and guesses in flight for the id: answered like a wrong secret. */
    FAILURES_PER_ID(Limit.AUTH_FAILURES_PER_ID),
    /** Too many failures from the address: answered like a wrong secret. */
    FAILURES_PER_ADDRESS(Limit.AUTH_FAILURES_PER_ADDRESS),
    /** The address already fills the hashing queue: the device should retry shortly. */
    BUSY(Limit.AUTH_BUSY);

    private final Limit limit;

    Refusal(Limit limit) {
      this.limit = limit;
    }

    /** The limit that refused, as the refusal log names it (with its setting). */
    Limit limit() {
      return limit;
    }
  }

  /**
   * The throttle's answer to one check: an admitted attempt, or the reason it was refused.
   *
   * @param attempt to be ended with {@link Attempt#release()} or {@link Attempt#failed()}; null
   *     when refused
   * @param refusal why it was refused; null when admitted
   */
  record Admission(Attempt attempt, Refusal refusal) {
    boolean admitted() {
      return attempt != null;
    }
  }

  /** Starts a check for {@code id} from {@code address}; a refused one must not be hashed. */
  Admission tryAttempt(String id, String address) {
    Tally forId = byId.get(id, k -> new Tally());
    if (!forId.tryStartWithin(maxPerId)) {
      return new Admission(null, Refusal.FAILURES_PER_ID);
    }
    Tally forAddress = byAddress.get(address, k -> new Tally());
    Refusal refusal = forAddress.tryStart(maxPerAddress, maxInFlightPerAddress);
    if (refusal != null) {
      forId.end(false);
      return new Admission(null, refusal);
    }
    return new Admission(new Attempt(forId, forAddress), null);
  }

  /** One admitted check; ending it twice has no effect. */
  static final class Attempt {
    private final Tally forId;
    private final Tally forAddress;
    private boolean ended;

    private Attempt(Tally forId, Tally forAddress) {
      this.forId = forId;
      this.forAddress = forAddress;
    }

    /**
     * The check ended without a failure (the secret matched, or it was never checked): given back.
     */
    synchronized void release() {
      end(false);
    }

    /** The secret did not match: the attempt stays counted as a failure for the window. */
    synchronized void failed() {
      end(true);
    }

    private void end(boolean failure) {
      if (!ended) {
        ended = true;
        forId.end(failure);
        forAddress.end(failure);
      }
    }
  }

  /** Failures and checks in flight of one id or address within the window. */
  private static final class Tally {
    private int inFlight;
    private int failures;

    /** Admits a check while failures and checks in flight together stay below {@code max}. */
    synchronized boolean tryStartWithin(int max) {
      return admitIf(failures + inFlight < max);
    }

    /**
     * Admits a check while failures and checks in flight each stay below their bound.
     *
     * @return null when admitted, else the bound it hit (failures first)
     */
    synchronized Refusal tryStart(int maxFailures, int maxInFlight) {
      if (failures >= maxFailures) {
        return Refusal.FAILURES_PER_ADDRESS;
      }
      return admitIf(inFlight < maxInFlight) ? null : Refusal.BUSY;
    }

    private boolean admitIf(boolean admitted) {
      if (admitted) {
        inFlight++;
      }
      return admitted;
    }

    synchronized void end(boolean failure) {
      inFlight = Math.max(0, inFlight - 1);
      if (failure) {
        failures++;
      }
    }
  }
}
