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
import java.util.TreeMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.lantern.gateway.config.GatewayConfig;
import vn.lantern.gateway.store.NewReading;

/**
 * Writes the Circular 10/2021 files of one wastewater station: the readings of the configured
 * device are averaged over clock-aligned cycles ({@code intervalMinutes}, 5 by default), and when a
 * cycle ends a file with one line per configured parameter appears in the pickup directory. A file
 * is written under a temporary name, fsynced and renamed, so the pickup never sees half a file.
 *
 * <p>Status is per parameter: a reading's status is the latest {@code status_<metric>} (a
 * parameter's own analyser) or else {@code status} (the station's) at or before its timestamp.
 * Readings taken while calibrating or in fault are left out of the average; only when a parameter
 * has no measuring reading in the cycle is its line the mean of the others, with their worst
 * status.
 *
 * <p>Cycles close on the readings' own timestamps (a reading of the next cycle closes the open one)
 * and on {@link #flushDue(long)} for a device that went quiet.
 */
public final class RegulatoryExporter {
  private static final Logger LOG = LoggerFactory.getLogger(RegulatoryExporter.class);
  private static final String STATUS_METRIC = "status";
  private static final String STATUS_PREFIX = "status_";
  private static final double MEASURING = 0;

  private final GatewayConfig.Export config;
  private final Path dir;
  private final ZoneId zone;
  private final long cycleMs;
  private final Counter files;
  private final Consumer<Path> written;
  private final Map<String, List<Sample>> samples = new HashMap<>();

  /** Status series by metric ({@code status}, {@code status_cod}, …), carried across cycles. */
  private final Map<String, TreeMap<Long, Double>> statuses = new HashMap<>();

  private long cycleStart = -1;

  private record Sample(long ts, double value) {}

  public RegulatoryExporter(GatewayConfig.Export config, MeterRegistry metrics) {
    this(config, metrics, file -> {});
  }

  /**
   * @param written told of every file once it is complete in the pickup directory (e.g. to push it)
   */
  public RegulatoryExporter(
      GatewayConfig.Export config, MeterRegistry metrics, Consumer<Path> written) {
    this.config = config;
    this.dir = Path.of(config.dir());
    this.zone = ZoneId.of(config.timeZone());
    this.cycleMs = config.intervalMinutes() * 60_000L;
    this.written = written;
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
      if (r.metric().equals(STATUS_METRIC) || r.metric().startsWith(STATUS_PREFIX)) {
        statuses.computeIfAbsent(r.metric(), m -> new TreeMap<>()).put(r.timestampMs(), r.value());
      } else {
        samples
            .computeIfAbsent(r.metric(), m -> new ArrayList<>())
            .add(new Sample(r.timestampMs(), r.value()));
      }
    }
  }

  /** Closes the open cycle if it ended before {@code nowMs}. */
  public synchronized void flushDue(long nowMs) {
    if (cycleStart >= 0 && nowMs >= cycleStart + cycleMs) {
      write();
    }
  }

  /** The status of a parameter's reading: its own analyser's if reported, else the station's. */
  private double statusAt(String metric, long ts) {
    for (String source : List.of(STATUS_PREFIX + metric, STATUS_METRIC)) {
      TreeMap<Long, Double> series = statuses.get(source);
      Map.Entry<Long, Double> latest = series == null ? null : series.floorEntry(ts);
      if (latest != null) {
        return latest.getValue();
      }
    }
    return MEASURING;
  }

  private Circular10Format.Line line(GatewayConfig.ExportParameter p, List<Sample> cycle) {
    double measuredSum = 0;
    int measured = 0;
    double otherSum = 0;
    double worst = MEASURING;
    for (Sample sample : cycle) {
      double status = statusAt(p.metric(), sample.ts());
      if (Math.round(status) == MEASURING) {
        measuredSum += sample.value();
        measured++;
      } else {
        otherSum += sample.value();
        worst = Math.max(worst, status);
      }
    }
    return measured > 0
        ? new Circular10Format.Line(
            p.symbol(), measuredSum / measured, p.decimals(), p.unit(), "00")
        : new Circular10Format.Line(
            p.symbol(),
            otherSum / cycle.size(),
            p.decimals(),
            p.unit(),
            Circular10Format.status(worst));
  }

  private void write() {
    Instant end = Instant.ofEpochMilli(cycleStart + cycleMs);
    List<Circular10Format.Line> lines = new ArrayList<>();
    for (GatewayConfig.ExportParameter p : config.parameters()) {
      List<Sample> cycle = samples.get(p.metric());
      if (cycle != null && !cycle.isEmpty()) {
        lines.add(line(p, cycle));
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
      Path file = dir.resolve(name);
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
      files.increment();
      LOG.info("event=export_written file={} parameters={}", name, lines.size());
      written.accept(file);
    } catch (IOException e) {
      LOG.warn("event=export_failed file={} error=\"{}\"", name, e.getMessage());
    }
    samples.clear();
    forgetStatusesBefore(cycleStart + cycleMs);
    cycleStart = -1;
  }

  /** Keeps only the last status before the next cycle: it still applies to that cycle's start. */
  private void forgetStatusesBefore(long ts) {
    for (TreeMap<Long, Double> series : statuses.values()) {
      Long last = series.floorKey(ts - 1);
      if (last != null) {
        series.headMap(last, false).clear();
      }
    }
  }
}
