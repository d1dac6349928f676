package vn.lantern.sim.load;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import org.HdrHistogram.Histogram;

/**
 * The JSON report of {@code bench ingest}. Counts, latencies, CPU and rates cover the measured
 * interval only, from the end of the warm-up (or the first publish) to the last acknowledgement;
 * the stored-readings check ({@code missing_in_influx}, {@code stored_in_influx}) covers the
 * warm-up's readings too, which must be stored as well.
 */
public record BenchReport(
    int devices,
    int connected,
    int qos,
    @JsonProperty("rate_target") Double rateTarget,
    int window,
    @JsonProperty("duration_s") double durationSeconds,
    long sent,
    long acked,
    long errors,
    @JsonProperty("last_error") String lastError,
    long unanswered,
    @JsonProperty("behind_schedule") long behindSchedule,
    long disconnects,
    @JsonProperty("acked_per_s") double ackedPerSecond,
    @JsonProperty("latency_ms") Latency latencyMs,
    @JsonProperty("missing_in_influx") Long missingInInflux,
    @JsonProperty("stored_in_influx") Long storedInInflux,
    @JsonProperty("ingest_cpu_s") Double ingestCpuSeconds,
    @JsonProperty("acked_per_cpu_s") Double ackedPerCpuSecond,
    @JsonProperty("influxd_cpu_s") Double influxCpuSeconds,
    @JsonProperty("influxd_cpu_s_per_100k") Double influxCpuSecondsPer100k,
    @JsonProperty("ingest_rss_kib_per_connection") Double ingestRssKibPerConnection,
    Warmup warmup,
    String summary) {

  /** Publish→acknowledgement latency percentiles, milliseconds. */
  public record Latency(double p50, double p99, double p999, double max) {}

  /** The untimed warm-up before the measured interval: not part of any other figure. */
  public record Warmup(
      @JsonProperty("duration_s") double durationSeconds,
      long acked,
      @JsonProperty("acked_per_s") double ackedPerSecond) {

    static Warmup of(Duration length, long acked) {
      double seconds = length.toNanos() / 1e9;
      return new Warmup(
          Math.round(seconds * 10) / 10.0, acked, Math.round(acked / seconds * 10) / 10.0);
    }

    /** One line for the console, marked as not measured. */
    public String line() {
      return String.format(
          Locale.ROOT,
          "bench ingest: warm-up duration=%.1fs acked=%d acked_per_s=%.0f (not measured below)",
          durationSeconds,
          acked,
          ackedPerSecond);
    }
  }

  static BenchReport of(
      BenchOptions o,
      int connected,
      LoadStats.Counts counts,
      Histogram latencyMicros,
      Duration publishing,
      Duration measured,
      Long missing,
      Long stored,
      Double cpuSeconds,
      Double influxCpuSeconds,
      Double rssKibPerConnection,
      Warmup warmup,
      String lastError) {
    long acked = counts.acked();
    // why requests failed, only when some did in the measured interval
    String failure = counts.errors() > 0 && lastError != null ? lastError : null;
    double seconds = measured.toNanos() / 1e9;
    double perSecond = acked / seconds;
    Latency latency =
        new Latency(
            ms(latencyMicros.getValueAtPercentile(50)),
            ms(latencyMicros.getValueAtPercentile(99)),
            ms(latencyMicros.getValueAtPercentile(99.9)),
            ms(latencyMicros.getMaxValue()));
    Double perCpu = cpuSeconds == null || cpuSeconds <= 0 ? null : acked / cpuSeconds;
    String summary =
        String.format(
            Locale.ROOT,
            "bench ingest: devices=%d connected=%d qos=%d sent=%d acked=%d errors=%d%s"
                + " acked_per_s=%.0f p50=%.1fms p99=%.1fms p999=%.1fms max=%.1fms"
                + " missing_in_influx=%s ingest_cpu_s=%s acked_per_cpu_s=%s influxd_cpu_s=%s",
            o.devices(),
            connected,
            o.qos(),
            counts.sent(),
            acked,
            counts.errors(),
            failure == null ? "" : " last_error=\"" + failure + "\"",
            perSecond,
            latency.p50(),
            latency.p99(),
            latency.p999(),
            latency.max(),
            missing == null ? "n/a" : missing.toString(),
            cpuSeconds == null ? "n/a" : String.format(Locale.ROOT, "%.1f", cpuSeconds),
            perCpu == null ? "n/a" : String.format(Locale.ROOT, "%.0f", perCpu),
            influxCpuSeconds == null
                ? "n/a"
                : String.format(Locale.ROOT, "%.1f", influxCpuSeconds));
    return new BenchReport(
        o.devices(),
        connected,
        o.qos(),
        o.rate(),
        o.window(),
        Math.round(publishing.toMillis() / 100.0) / 10.0,
        counts.sent(),
        acked,
        counts.errors(),
        failure,
        Math.max(0, counts.sent() - acked - counts.errors()),
        counts.behind(),
        counts.disconnects(),
        Math.round(perSecond * 10) / 10.0,
        latency,
        missing,
        stored,
        cpuSeconds == null ? null : Math.round(cpuSeconds * 100) / 100.0,
        perCpu == null ? null : (double) Math.round(perCpu),
        influxCpuSeconds == null ? null : Math.round(influxCpuSeconds * 100) / 100.0,
        influxCpuSeconds == null || acked == 0
            ? null
            : Math.round(influxCpuSeconds * 100_000 / acked * 100) / 100.0,
        rssKibPerConnection == null ? null : Math.round(rssKibPerConnection * 10) / 10.0,
        warmup,
        summary);
  }

  /** Writes the report as indented JSON. */
  public void write(Path file) throws IOException {
    JsonReportFile.write(file, this);
  }

  private static double ms(long micros) {
    return Math.round(micros / 100.0) / 10.0;
  }
}
