package vn.lantern.gateway.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import org.apache.ftpserver.FtpServer;
import org.apache.ftpserver.FtpServerFactory;
import org.apache.ftpserver.ftplet.Authority;
import org.apache.ftpserver.listener.ListenerFactory;
import org.apache.ftpserver.usermanager.impl.BaseUser;
import org.apache.ftpserver.usermanager.impl.WritePermission;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.lantern.gateway.config.GatewayConfig;

/**
 * Circular 10/2021 files pushed to a real FTP server (Apache MINA FtpServer in this JVM, on
 * loopback): a server that is down costs a counted failure and nothing is recorded; once it is up
 * every file arrives byte for byte, is recorded once, and is not sent again; delivered files older
 * than the retention period are pruned, undelivered ones never.
 */
class FtpDeliveryTest {
  private static final String USER = "lantern-station";
  private static final String PASSWORD = "ftp-test-password";

  @Test
  void pushesRetriesRecordsAndKeepsFilesForTheRetention(
      @TempDir Path exportDir, @TempDir Path serverHome) throws Exception {
    Path a =
        write(
            exportDir,
            "QNA_KCNDNDN_NT01_20260301080500.txt",
            "pH\t7.20\t-\t20260301080500\t00\r\n");
    Path b =
        write(
            exportDir,
            "QNA_KCNDNDN_NT01_20260301081000.txt",
            "pH\t7.10\t-\t20260301081000\t00\r\n");
    int port = freePort();
    SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    FtpDelivery delivery = new FtpDelivery(export(exportDir, port), metrics);

    long now = System.currentTimeMillis();
    assertEquals(0, delivery.deliverPending(now), "no server yet");
    assertEquals(1, metrics.counter("gateway_export_delivery_failures").count());
    assertFalse(delivery.isDelivered(a.getFileName().toString()));

    FtpServer server = start(port, serverHome);
    try {
      assertEquals(0, delivery.deliverPending(now + 1), "still backing off");
      assertEquals(2, delivery.deliverPending(now + 60_000), "retried after the backoff");
      assertArrayEquals(
          Files.readAllBytes(a), Files.readAllBytes(serverHome.resolve(a.getFileName())));
      assertArrayEquals(
          Files.readAllBytes(b), Files.readAllBytes(serverHome.resolve(b.getFileName())));
      try (var listing = Files.list(serverHome)) {
        assertEquals(2, listing.count(), "no .part files left on the server");
      }
      assertEquals(0, delivery.deliverPending(now + 61_000), "nothing is sent twice");
      assertEquals(2, metrics.counter("gateway_export_delivered").count());

      // The record survives a restart.
      FtpDelivery restarted = new FtpDelivery(export(exportDir, port), new SimpleMeterRegistry());
      assertTrue(restarted.isDelivered(b.getFileName().toString()));
      Path c =
          write(
              exportDir,
              "QNA_KCNDNDN_NT01_20260301081500.txt",
              "pH\t7.00\t-\t20260301081500\t00\r\n");
      assertEquals(1, restarted.deliverPending(now + 62_000));

      // Retention: 60 days after writing, delivered files go; an undelivered one would stay.
      Path undelivered =
          write(
              exportDir,
              "QNA_KCNDNDN_NT01_20260301082000.txt",
              "pH\t6.90\t-\t20260301082000\t00\r\n");
      FileTime old = FileTime.fromMillis(now - Duration.ofDays(61).toMillis());
      for (Path p : List.of(a, b, undelivered)) {
        Files.setLastModifiedTime(p, old);
      }
      server.stop();
      assertEquals(0, restarted.deliverPending(now + 63_000));
      assertEquals(2, restarted.prune(now));
      assertFalse(Files.exists(a));
      assertFalse(Files.exists(b));
      assertTrue(Files.exists(c), "younger than the retention");
      assertTrue(Files.exists(undelivered), "never pruned before delivery");
    } finally {
      server.stop();
    }
  }

  private static GatewayConfig.Export export(Path dir, int port) {
    return new GatewayConfig.Export(
        true,
        dir.toString(),
        "ww",
        "QNA",
        "KCNDNDN",
        "NT01",
        5,
        "Asia/Ho_Chi_Minh",
        List.of(),
        60,
        new GatewayConfig.Ftp(
            true, "127.0.0.1", port, USER, PASSWORD, "/", true, 5_000, 1_000, 10_000));
  }

  private static Path write(Path dir, String name, String content) throws Exception {
    return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static FtpServer start(int port, Path home) throws Exception {
    FtpServerFactory factory = new FtpServerFactory();
    ListenerFactory listener = new ListenerFactory();
    listener.setServerAddress("127.0.0.1");
    listener.setPort(port);
    factory.addListener("default", listener.createListener());
    BaseUser user = new BaseUser();
    user.setName(USER);
    user.setPassword(PASSWORD);
    user.setHomeDirectory(home.toString());
    user.setAuthorities(List.<Authority>of(new WritePermission()));
    factory.getUserManager().save(user);
    FtpServer server = factory.createServer();
    server.start();
    return server;
  }
}
