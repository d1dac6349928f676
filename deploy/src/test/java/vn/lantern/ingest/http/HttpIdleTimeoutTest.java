package vn.lantern.ingest.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import vn.lantern.deploy.testing.TestNode;
import vn.lantern.testing.InfluxDbExtension;
import vn.lantern.testing.TestInflux;

/**
 * A slowloris client (headers sent, never finished) is disconnected after {@code
 * http.idleTimeoutSeconds}, and the API keeps answering.
 */
@ExtendWith(InfluxDbExtension.class)
class HttpIdleTimeoutTest {
  @TempDir Path dataDir;

  @Test
  void aStalledRequestIsClosedAfterTheIdleTimeout(TestInflux influx) throws Exception {
    try (TestNode node =
            TestNode.builder(dataDir, influx.url(), influx.database())
                .set("rules.seedRulePacks", false)
                .set("http.idleTimeoutSeconds", "1")
                .start();
        Socket slow = new Socket("127.0.0.1", node.httpPort())) {
      // generous: the node closes after 1 s; a node without a timeout would hold it forever
      slow.setSoTimeout(30_000);
      OutputStream out = slow.getOutputStream();
      out.write(
          "GET /health HTTP/1.1\r\nHost: lantern\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = slow.getInputStream();
      int read;
      do {
        read = in.read();
      } while (read != -1);
      assertEquals(-1, read, "the node closed the stalled connection");
      assertTrue(node.get("/health/live").status() == 200);
    }
  }
}
