package vn.lantern.rules.notify;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Keeps rule webhooks from reaching the node's own network: zone managers write webhook URLs, so
 * without this a rule could make the node POST to internal services (server-side request forgery).
 * A target whose host resolves to a loopback, link-local, private (site-local or IPv6
 * unique-local), carrier-grade NAT, benchmarking, NAT64, wildcard or multicast address, or to an
 * IPv4-mapped IPv6 form of one, is refused unless its host is explicitly allowed. The host is
 * resolved once per delivery and the request is sent to the address that was checked, so a DNS name
 * that changes between the check and the connection (rebinding) cannot slip through.
 */
final class WebhookTargets {
  // The JDK has no CIDR matching and four fixed ranges do not warrant a dependency.
  private static final byte[] CARRIER_GRADE_NAT = {100, 64, 0, 0};
  private static final byte[] BENCHMARKING = {(byte) 198, 18, 0, 0};
  private static final byte[] IPV4_MAPPED = {
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 0, 0, 0, 0
  };
  private static final byte[] NAT64 = {0, 0x64, (byte) 0xff, (byte) 0x9b, 0, 0, 0, 0, 0, 0, 0, 0};

  private final Vertx vertx;
  private final Set<String> allowedHosts;
  private final Resolver resolver;

  /** Looks up a host's addresses; the system resolver outside tests. */
  @FunctionalInterface
  interface Resolver {
    InetAddress[] resolve(String host) throws UnknownHostException;
  }

  /**
   * A checked target: the URL to send and the address to connect to.
   *
   * @param url the webhook URL, whose host goes into the Host header and TLS name checks
   * @param server the checked address and port to connect to
   */
  record Target(String url, SocketAddress server) {}

  /**
   * @param allowedHosts comma-separated host names or addresses that may be internal (e.g. an
   *     on-premises alerting gateway); empty for none
   */
  WebhookTargets(Vertx vertx, String allowedHosts) {
    this(vertx, allowedHosts, InetAddress::getAllByName);
  }

  WebhookTargets(Vertx vertx, String allowedHosts, Resolver resolver) {
    this.vertx = vertx;
    this.resolver = resolver;
    this.allowedHosts =
        Arrays.stream(allowedHosts.split(","))
            .map(h -> h.trim().toLowerCase(Locale.ROOT))
            .filter(h -> !h.isEmpty())
            .collect(Collectors.toUnmodifiableSet());
  }

  /** Succeeds with the address to connect to when the URL may be called; fails otherwise. */
  Future<Target> check(String url) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      return Future.failedFuture(new Refused("webhook URL is malformed: " + e.getMessage()));
    }
    String host = uri.getHost();
    if (host == null) {
      return Future.failedFuture(new Refused("webhook URL has no host"));
    }
    String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    boolean allowed = allowedHosts.contains(bare.toLowerCase(Locale.ROOT));
    int port =
        uri.getPort() != -1 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    return vertx.executeBlocking(
        () -> {
          InetAddress[] addresses = resolver.resolve(bare);
          if (!allowed) {
            for (InetAddress address : addresses) {
              if (isInternal(address)) {
                throw new Refused(
                    "webhook host "
                        + host
                        + " is an internal address; allow it with LANTERN_NOTIFY_ALLOWED_HOSTS");
              }
            }
          }
          return new Target(
              url, SocketAddress.inetSocketAddress(new InetSocketAddress(addresses[0], port)));
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
    if (address instanceof Inet6Address) {
      byte[] bytes = address.getAddress();
      if (hasPrefix(bytes, IPV4_MAPPED, 96)) {
        return isInternal(ipv4(bytes));
      }
      if (hasPrefix(bytes, NAT64, 96)) {
        // The gateway's NAT64 would reach any IPv4 address, internal ones included.
        return true;
      }
    }
    byte[] bytes = address.getAddress();
    return address.isLoopbackAddress()
        || address.isLinkLocalAddress()
        || address.isSiteLocalAddress()
        || address.isAnyLocalAddress()
        || address.isMulticastAddress()
        || (address instanceof Inet6Address && (bytes[0] & 0xfe) == 0xfc)
        || (address instanceof Inet4Address
            && (hasPrefix(bytes, CARRIER_GRADE_NAT, 10) || hasPrefix(bytes, BENCHMARKING, 15)));
  }

  private static boolean hasPrefix(byte[] address, byte[] network, int bits) {
    for (int i = 0; i < bits; i++) {
      int mask = 0x80 >> (i % 8);
      if ((address[i / 8] & mask) != (network[i / 8] & mask)) {
        return false;
      }
    }
    return true;
  }

  private static InetAddress ipv4(byte[] mapped) {
    try {
      return InetAddress.getByAddress(Arrays.copyOfRange(mapped, 12, 16));
    } catch (UnknownHostException e) {
      throw new IllegalStateException("four bytes are always an IPv4 address", e);
    }
  }
}
