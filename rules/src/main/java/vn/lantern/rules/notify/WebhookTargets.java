package vn.lantern.rules.notify;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Keeps rule webhooks from reaching the node's own network: zone managers write webhook URLs, so
 * without this a rule could make the node POST to internal services (server-side request forgery).
 * A target whose host resolves to a loopback, link-local, private (site-local or IPv6
 * unique-local), wildcard or multicast address is refused unless its host is explicitly allowed.
 * The check runs before every delivery, so a DNS name changed later is checked again.
 */
final class WebhookTargets {
  private final Vertx vertx;
  private final Set<String> allowedHosts;

  /**
   * @param allowedHosts comma-separated host names or addresses that may be internal (e.g. an
   *     on-premises alerting gateway); empty for none
   */
  WebhookTargets(Vertx vertx, String allowedHosts) {
    this.vertx = vertx;
    this.allowedHosts =
        Arrays.stream(allowedHosts.split(","))
            .map(h -> h.trim().toLowerCase(Locale.ROOT))
            .filter(h -> !h.isEmpty())
            .collect(Collectors.toUnmodifiableSet());
  }

  /** Succeeds when the URL may be called; fails with the reason otherwise. */
  Future<Void> check(String url) {
    String host = URI.create(url).getHost();
    if (host == null) {
      return Future.failedFuture(new Refused("webhook URL has no host"));
    }
    String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    if (allowedHosts.contains(bare.toLowerCase(Locale.ROOT))) {
      return Future.succeededFuture();
    }
    return vertx.executeBlocking(
        () -> {
          for (InetAddress address : InetAddress.getAllByName(bare)) {
            if (isInternal(address)) {
              throw new Refused(
                  "webhook host "
                      + host
                      + " is an internal address; allow it with LANTERN_NOTIFY_ALLOWED_HOSTS");
            }
          }
          return null;
        },
        false);
  }

  /** A target that may not be called: retrying cannot help. */
  static final class Refused extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Refused(String message) {
      super(message, null, false, false);
    }
  }

  static boolean isInternal(InetAddress address) {
    return address.isLoopbackAddress()
        || address.isLinkLocalAddress()
        || address.isSiteLocalAddress()
        || address.isAnyLocalAddress()
        || address.isMulticastAddress()
        || (address instanceof Inet6Address && (address.getAddress()[0] & 0xfe) == 0xfc);
  }
}
