package vn.lantern.rules.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.client.WebClient;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WebhookTargetsTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "127.0.0.1",
        "127.0.0.2",
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.1",
        "169.254.169.254",
        "0.0.0.0",
        "224.0.0.1",
        "::1",
        "fe80::1",
        "fd00::1",
        "fc00::2",
        // Carrier-grade NAT, benchmarking networks and NAT64 (which reaches any IPv4 address).
        "100.64.0.1",
        "100.127.255.254",
        "198.18.0.1",
        "198.19.255.255",
        "64:ff9b::a9fe:a9fe",
        "64:ff9b::808:808"
      })
  void internalAddressesAreRecognised(String address) throws Exception {
    // Literal addresses: no lookup leaves the machine.
    assertTrue(WebhookTargets.isInternal(InetAddress.getByName(address)), address);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "8.8.8.8",
        "203.113.131.1",
        "2001:4860:4860::8888",
        "100.63.255.255",
        "198.20.0.1"
      })
  void publicAddressesAreNot(String address) throws Exception {
    assertFalse(WebhookTargets.isInternal(InetAddress.getByName(address)), address);
  }

  @ParameterizedTest
  @ValueSource(strings = {"127.0.0.1", "10.0.0.1", "169.254.169.254", "100.64.0.1", "198.18.0.1"})
  void ipv4MappedIpv6FormsOfInternalAddressesAreInternal(String v4) throws Exception {
    byte[] mapped = new byte[16];
    mapped[10] = (byte) 0xff;
    mapped[11] = (byte) 0xff;
    System.arraycopy(InetAddress.getByName(v4).getAddress(), 0, mapped, 12, 4);
    // Built as an Inet6Address on purpose: the JDK's parser would turn ::ffff:a.b.c.d into IPv4.
    InetAddress address = Inet6Address.getByAddress(null, mapped, -1);
    assertTrue(address instanceof Inet6Address);
    assertTrue(WebhookTargets.isInternal(address), v4);
  }

  @Test
  void aMalformedStoredUrlFailsTheDeliveryInsteadOfThrowing() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      // Rules saved before URLs were validated may still hold one.
      Throwable failure =
          new WebhookTargets(vertx, "")
              .check("http://exa mple.com/hook")
              .transform(ar -> Future.succeededFuture(ar.cause()))
              .await(10, TimeUnit.SECONDS);
      assertTrue(failure instanceof WebhookTargets.Refused, String.valueOf(failure));
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void theRequestGoesToTheAddressThatWasCheckedWithTheOriginalHostHeader() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      List<String> hosts = new CopyOnWriteArrayList<>();
      HttpServer receiver =
          vertx
              .createHttpServer()
              .requestHandler(
                  req -> {
                    hosts.add(req.getHeader("Host"));
                    req.response().setStatusCode(204).end();
                  })
              .listen(0, "127.0.0.1")
              .await(10, TimeUnit.SECONDS);
      AtomicInteger lookups = new AtomicInteger();
      // A rebinding name: first a receiver the node may call, then an internal address.
      WebhookTargets targets =
          new WebhookTargets(
              vertx,
              "hooks.lantern.test",
              host ->
                  new InetAddress[] {
                    InetAddress.getByName(
                        lookups.incrementAndGet() == 1 ? "127.0.0.1" : "169.254.169.254")
                  });
      String url = "http://hooks.lantern.test:" + receiver.actualPort() + "/hook";
      WebClient web = WebClient.create(vertx);
      targets
          .check(url)
          .compose(
              target ->
                  SignedWebhook.post(web, target, 2000, "secret", "{}", "delivery-1", "fired"))
          .await(10, TimeUnit.SECONDS);
      assertEquals(1, lookups.get());
      assertEquals(List.of("hooks.lantern.test:" + receiver.actualPort()), hosts);
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }
}
