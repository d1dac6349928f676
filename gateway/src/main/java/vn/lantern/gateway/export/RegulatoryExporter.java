package vn.lantern.gateway.export;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.lantern.gateway.config.GatewayConfig;
import vn.lantern.gateway.store.NewReading;

/**
 * Writes the Circular 10/2021 files of one wastewater station: the readings of the configured
 * device are averaged over clock-aligned cycles ({@code intervalMinutes}, 5 by default), and when a
 * cycle ends a file with one line per configured parameter appears in the pickup directory. The
 * status column is the worst {@code status} the analyser reported in the cycle. A file is written
 * under a temporary name, fsynced and renamed, so the pickup never sees half a file.
 *
 * <p>Cycles close on the readings' own timestamps (a reading of the next cycle closes the open one)
 * and on {@link #flushDue(long)} for a device that went quiet.
 */
public final class RegulatoryExporter {
  private static final Logger LOG = LoggerFactory.getLogger(RegulatoryExporter.class);
  private static final String STATUS_METRIC = "status";

  private final GatewayConfig.Export config;
  private final Path dir;
  private final ZoneId zone;
  private final long cycleMs;
  private final Counter files;
  private final Map<String, double[]> sums = new HashMap<>();
  private long cycleStart = -1;
  private double worstStatus;

  public RegulatoryExporter(GatewayConfig.Export config, MeterRegistry metrics) {
    this.config = config;
    this.dir = Path.of(config.dir());
    this.zone = ZoneId.of(config.timeZone());
    this.cycleMs = config.intervalMinutes() * 60_000L;
    this.files =
        Counter.builder("gateway_export_files")
            .description("Regulatory export files written")
            .register(metrics);
  }

  /** Takes a poll's readings; those of other devices are ignored. */
  public synchronized void accept(List<NewReading> readings) {
    for (NewReading r : readings) {
      if (!r.device().equals(config.device())) {
        continue;
      }
      long start = Math.floorDiv(r.timestampMs(), cycleMs) * cycleMs;
      if (cycleStart >= 0 && start != cycleStart) {
        write();
      }
      if (cycleStart < 0 || start != cycleStart) {
        cycleStart = start;
      }
      if (STATUS_METRIC.equals(r.metric())) {
        worstStatus = Math.max(worstStatus, r.value());
      }
      double[] sum = sums.computeIfAbsent(r.metric(), m -> new double[2]);
      sum[0] += r.value();
      sum[1]++;
    }
  }

  /** Closes the open cycle if it ended before {@code nowMs}. */
  public synchronized void flushDue(long nowMs) {
    if (cycleStart >= 0 && nowMs >= cycleStart + cycleMs) {
      write();
    }
  }

  private void write() {
    Instant end = Instant.ofEpochMilli(cycleStart + cycleMs);
    String status = Circular10Format.status(worstStatus);
    List<Circular10Format.Line> lines = new ArrayList<>();
    for (GatewayConfig.ExportParameter p : config.parameters()) {
      double[] sum = sums.get(p.metric());
      if (sum != null && sum[1] > 0) {
        lines.add(
            new Circular10Format.Line(p.symbol(), sum[0] / sum[1], p.decimals(), p.unit(), status));
      }
    }
    String name =
        Circular10Format.fileName(
            config.province(), config.facility(), config.station(), end, zone);
    try {
      Files.createDirectories(dir);
      Path tmp = dir.resolve(name + ".part");
      byte[] bytes = Circular10Format.content(lines, end, zone).getBytes(StandardCharsets.UTF_8);
      try (FileChannel ch =
          FileChannel.open(
              tmp,
              StandardOpenOption.CREATE,
              StandardOpenOption.TRUNCATE_EXISTING,
              StandardOpenOption.WRITE)) {
        ch.write(java.nio.ByteBuffer.wrap(bytes));
        ch.force(true);
      }
      Files.move(tmp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE);
      files.increment();
      LOG.info("event=export_written file={} parameters={}", name, lines.size());
    } catch (IOException e) {
      LOG.warn("event=export_failed file={} error=\"{}\"", name, e.getMessage());
    }
    sums.clear();
    worstStatus = 0;
    cycleStart = -1;
  }
}
