package vn.lantern.sim.device;

import java.time.Duration;
import java.util.Optional;
import org.eclipse.californium.core.config.CoapConfig;
import org.eclipse.californium.elements.config.Configuration;

/**
 * The CoAP message ids a client uses towards one peer, and how many confirmable requests they
 * allow. An id may not be reused towards the same peer within {@code EXCHANGE_LIFETIME} (RFC 7252
 * 4.4, 247 s): a client that sends faster than its ids free up runs out, and Californium then fails
 * each new request with "automatic message IDs exhausted" until ids come free again.
 *
 * @param range ids {@code [0, range)}; Californium takes unicast ids below its multicast base
 *     ({@code MULTICAST_BASE_MID}, 65,000 by default)
 */
public record CoapMessageIds(int range) {
  /** Californium's default: ids 0 to 64,999. */
  public static final CoapMessageIds DEFAULT =
      new CoapMessageIds(CoapConfig.DEFAULT_MULTICAST_BASE_MID);

  private static final Duration LIFETIME =
      Duration.ofSeconds(CoapConfig.DEFAULT_EXCHANGE_LIFETIME_IN_SECONDS);
  private static final int GROUPS = CoapConfig.DEFAULT_MID_TRACKER_GROUPS;

  public CoapMessageIds {
    if (range < 2 * GROUPS || range > CoapConfig.DEFAULT_MULTICAST_BASE_MID) {
      throw new IllegalArgumentException(
          "message id range must be within ["
              + 2 * GROUPS
              + ", "
              + CoapConfig.DEFAULT_MULTICAST_BASE_MID
              + "]");
    }
  }

  /**
   * About how many requests a client sends before it runs out: Californium's (default, grouped)
   * tracker leases the ids in 16 groups and moves on to a group only while the one after it is
   * free, so one group is always held back.
   */
  public int perLifetime() {
    return range - (range + GROUPS - 1) / GROUPS;
  }

  /** How long an id stays in use towards a peer. */
  public Duration lifetime() {
    return LIFETIME;
  }

  /** The confirmable requests per second one client can keep up for longer than the lifetime. */
  public double sustainedPerSecond() {
    return perLifetime() / (double) LIFETIME.toSeconds();
  }

  /**
   * When a client sending {@code perSecond} confirmable requests a second for {@code run} runs out
   * of ids, or empty when its ids last the run (or come free within it).
   */
  public Optional<Duration> runsOut(double perSecond, Duration run) {
    double seconds = perLifetime() / perSecond;
    double horizon = Math.min(run.toMillis(), LIFETIME.toMillis()) / 1000.0;
    return seconds < horizon
        ? Optional.of(Duration.ofMillis(Math.round(seconds * 1000)))
        : Optional.empty();
  }

  /** Whether Californium's failure {@code message} means that the ids ran out. */
  public static boolean exhausted(String message) {
    // Californium 3's UdpMatcher's words; CoapMessageIdsBenchTest fails if an upgrade changes them.
    return message != null && message.contains("message IDs exhausted");
  }

  void applyTo(Configuration config) {
    config.set(CoapConfig.MULTICAST_BASE_MID, range);
  }
}
