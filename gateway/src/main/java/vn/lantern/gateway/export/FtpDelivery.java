package vn.lantern.gateway.export;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.commons.net.ftp.FTP;
import org.apache.commons.net.ftp.FTPClient;
import org.apache.commons.net.ftp.FTPReply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.lantern.gateway.config.GatewayConfig;

/**
 * Pushes the Circular 10/2021 files to the environment department's FTP server (Apache Commons Net)
 * and keeps them locally for the retention period. Each file is uploaded under a {@code .part} name
 * and renamed, so the department's pickup never reads half a file; a delivery is recorded in the
 * journal {@code delivered.log} beside the files (name, time) only once the server confirmed the
 * rename, so a crash re-sends at most one file and never loses one. Failures back off exponentially
 * (full jitter) between the configured bounds; undelivered files are never pruned.
 *
 * <p>Blocking: call from one worker thread, never an event loop.
 */
public final class FtpDelivery {
  private static final Logger LOG = LoggerFactory.getLogger(FtpDelivery.class);
  static final String JOURNAL = "delivered.log";
  private static final String FILE_SUFFIX = ".txt";

  private final GatewayConfig.Ftp ftp;
  private final Path dir;
  private final long retentionMs;
  private final Map<String, Long> delivered = new LinkedHashMap<>();
  private final Counter deliveredFiles;
  private final Counter failures;
  private final Counter pruned;
  private long backoffMs;
  private long nextAttemptAt;
  private volatile int undelivered;

  public FtpDelivery(GatewayConfig.Export export, MeterRegistry metrics) throws IOException {
    this.ftp = export.ftp();
    this.dir = Path.of(export.dir());
    this.retentionMs = Duration.ofDays(export.retentionDays()).toMillis();
    Files.createDirectories(dir);
    Path journal = dir.resolve(JOURNAL);
    if (Files.exists(journal)) {
      for (String line : Files.readAllLines(journal, StandardCharsets.UTF_8)) {
        String[] fields = line.split("\t");
        if (fields.length == 2) {
          delivered.put(fields[0], Long.parseLong(fields[1]));
        }
      }
    }
    this.deliveredFiles =
        Counter.builder("gateway_export_delivered")
            .description("Regulatory files delivered to the FTP server")
            .register(metrics);
    this.failures =
        Counter.builder("gateway_export_delivery_failures")
            .description("Failed FTP delivery attempts")
            .register(metrics);
    this.pruned =
        Counter.builder("gateway_export_pruned")
            .description("Regulatory files deleted after the retention period")
            .register(metrics);
    Gauge.builder("gateway_export_undelivered", () -> undelivered)
        .description("Regulatory files waiting for delivery")
        .register(metrics);
  }

  /** Whether a file was delivered (as recorded in the journal). */
  public synchronized boolean isDelivered(String fileName) {
    return delivered.containsKey(fileName);
  }

  /**
   * Delivers every file not yet delivered, oldest first, unless a failure's backoff is running.
   *
   * @return the number of files delivered now
   */
  public synchronized int deliverPending(long nowMs) throws IOException {
    List<Path> pending = pending();
    undelivered = pending.size();
    if (pending.isEmpty() || !ftp.enabled() || nowMs < nextAttemptAt) {
      return 0;
    }
    FTPClient client = new FTPClient();
    client.setConnectTimeout(ftp.timeoutMs());
    client.setDefaultTimeout(ftp.timeoutMs());
    client.setControlEncoding(StandardCharsets.UTF_8.name());
    int sent = 0;
    try {
      client.connect(ftp.host(), ftp.port());
      client.setSoTimeout(ftp.timeoutMs());
      check(client, FTPReply.isPositiveCompletion(client.getReplyCode()), "connect");
      check(client, client.login(ftp.user(), ftp.password()), "login");
      check(client, client.setFileType(FTP.BINARY_FILE_TYPE), "binary mode");
      if (ftp.passive()) {
        client.enterLocalPassiveMode();
      }
      if (!ftp.dir().isEmpty() && !ftp.dir().equals("/")) {
        check(client, client.changeWorkingDirectory(ftp.dir()), "cd " + ftp.dir());
      }
      for (Path file : pending) {
        String name = file.getFileName().toString();
        try (InputStream in = Files.newInputStream(file)) {
          check(client, client.storeFile(name + ".part", in), "upload " + name);
        }
        check(client, client.rename(name + ".part", name), "rename " + name);
        record(name, nowMs);
        sent++;
        deliveredFiles.increment();
        LOG.info("event=export_delivered file={} server={}", name, ftp.host());
      }
      client.logout();
      backoffMs = 0;
      nextAttemptAt = 0;
    } catch (IOException e) {
      failures.increment();
      backoffMs = backoffMs == 0 ? ftp.minBackoffMs() : Math.min(backoffMs * 2, ftp.maxBackoffMs());
      nextAttemptAt = nowMs + ThreadLocalRandom.current().nextLong(backoffMs + 1);
      LOG.warn(
          "event=export_delivery_failed server={} delivered={} pending={} retry_in_ms={}"
              + " error=\"{}\"",
          ftp.host(),
          sent,
          pending.size() - sent,
          nextAttemptAt - nowMs,
          e.getMessage());
    } finally {
      if (client.isConnected()) {
        try {
          client.disconnect();
        } catch (IOException ignored) {
          // the connection is gone either way
        }
      }
    }
    undelivered = pending.size() - sent;
    return sent;
  }

  /**
   * Deletes files older than the retention period that were delivered (or need no delivery), and
   * their journal entries.
   *
   * @return the number of files deleted
   */
  public synchronized int prune(long nowMs) throws IOException {
    int deleted = 0;
    for (Path file : files()) {
      String name = file.getFileName().toString();
      boolean done = !ftp.enabled() || delivered.containsKey(name);
      if (done && nowMs - Files.getLastModifiedTime(file).toMillis() > retentionMs) {
        Files.delete(file);
        delivered.remove(name);
        deleted++;
        pruned.increment();
      }
    }
    if (deleted > 0) {
      rewriteJournal();
      LOG.info("event=export_pruned files={} retention_days={}", deleted, retentionMs / 86_400_000);
    }
    return deleted;
  }

  private List<Path> pending() throws IOException {
    List<Path> pending = new ArrayList<>();
    for (Path file : files()) {
      if (!delivered.containsKey(file.getFileName().toString())) {
        pending.add(file);
      }
    }
    return pending;
  }

  /** The complete export files, oldest first (names end in the cycle's timestamp). */
  private List<Path> files() throws IOException {
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, "*" + FILE_SUFFIX)) {
      stream.forEach(files::add);
    }
    files.sort(Path::compareTo);
    return files;
  }

  private void record(String name, long at) throws IOException {
    delivered.put(name, at);
    Files.writeString(
        dir.resolve(JOURNAL),
        name + "\t" + at + "\n",
        StandardCharsets.UTF_8,
        StandardOpenOption.CREATE,
        StandardOpenOption.APPEND,
        StandardOpenOption.SYNC);
  }

  private void rewriteJournal() throws IOException {
    StringBuilder text = new StringBuilder();
    delivered.forEach((name, at) -> text.append(name).append('\t').append(at).append('\n'));
    Path tmp = dir.resolve(JOURNAL + ".part");
    Files.writeString(
        tmp,
        text,
        StandardCharsets.UTF_8,
        StandardOpenOption.SYNC,
        StandardOpenOption.CREATE,
        StandardOpenOption.TRUNCATE_EXISTING,
        StandardOpenOption.WRITE);
    Files.move(tmp, dir.resolve(JOURNAL), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  private static void check(FTPClient client, boolean ok, String step) throws IOException {
    if (!ok) {
      throw new IOException(step + " refused: " + client.getReplyString().strip());
    }
  }
}
