package vn.lantern.common.influx;

import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import org.junit.jupiter.api.Test;

class InfluxClientsTest {
  private static final InfluxSettings SETTINGS =
      InfluxSettings.defaults().withServer("http://127.0.0.1:1", "shared_client_test");

  @Test
  void thePartsOfANodeShareOneClientUntilTheLastClosesIt() {
    InfluxClients store = InfluxClients.acquire(SETTINGS);
    InfluxClients rules = InfluxClients.acquire(SETTINGS);
    assertSame(store.client(), rules.client());

    store.close();
    InfluxClients kpis = InfluxClients.acquire(SETTINGS);
    assertSame(rules.client(), kpis.client(), "still shared while a user holds it");
    rules.close();
    kpis.close();

    InfluxClients restarted = InfluxClients.acquire(SETTINGS);
    try {
      assertNotSame(store.client(), restarted.client(), "a new client after the last close");
    } finally {
      restarted.close();
    }
  }

  @Test
  void otherSettingsGetTheirOwnClient() {
    InfluxClients one = InfluxClients.acquire(SETTINGS);
    InfluxClients other =
        InfluxClients.acquire(SETTINGS.withServer("http://127.0.0.1:2", "shared_client_test"));
    try {
      assertNotSame(one.client(), other.client());
    } finally {
      one.close();
      other.close();
    }
  }

  @Test
  void connectionsToInfluxDbSendWithoutWaitingForAcks() throws Exception {
    // With Nagle on, a write body over OkHttp's 8 KiB pieces waited for InfluxDB's delayed ACK.
    try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Socket socket = InfluxClients.httpClient().build().socketFactory().createSocket()) {
      socket.connect(listener.getLocalSocketAddress());
      assertTrue(socket.getTcpNoDelay());
    }
  }
}
