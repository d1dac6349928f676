package vn.lantern.rules.notify;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WebhookTargetsTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "127.0.0.1", "127.0.0.2", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254",
        "0.0.0.0", "224.0.0.1", "::1", "fe80::1", "fd00::1", "fc00::2"
      })
  void internalAddressesAreRecognised(String address) throws Exception {
    // Literal addresses: no lookup leaves the machine.
    assertTrue(WebhookTargets.isInternal(InetAddress.getByName(address)), address);
  }

  @ParameterizedTest
  @ValueSource(strings = {"8.8.8.8", "203.113.131.1", "2001:4860:4860::8888"})
  void publicAddressesAreNot(String address) throws Exception {
    assertFalse(WebhookTargets.isInternal(InetAddress.getByName(address)), address);
  }
}
