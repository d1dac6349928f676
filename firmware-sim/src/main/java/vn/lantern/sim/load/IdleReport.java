package vn.lantern.sim.load;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * The JSON report of {@code bench idle}: the node's resident set and live heap before the
 * connections and after holding them, and the growth per connection. With a pre-touched fixed heap
 * the two growths do not overlap, so their sum is what one idle connection costs.
 */
public record IdleReport(
    int devices,
    int connected,
    @JsonProperty("connect_s") double connectSeconds,
    @JsonProperty("hold_s") long holdSeconds,
    @JsonProperty("rss_kib_before") long rssKibBefore,
    @JsonProperty("rss_kib_after") long rssKibAfter,
    @JsonProperty("heap_live_kib_before") long heapKibBefore,
    @JsonProperty("heap_live_kib_after") long heapKibAfter,
    @JsonProperty("rss_kib_per_connection") Double rssKibPerConnection,
    @JsonProperty("heap_kib_per_connection") Double heapKibPerConnection,
    @JsonProperty("total_kib_per_connection") Double totalKibPerConnection,
    String summary) {

  static IdleReport of(
      int devices,
      int connected,
      Duration connecting,
      Duration hold,
      NodeMemory.Sample before,
      NodeMemory.Sample after) {
    Double rss = perConnection(after.residentKib() - before.residentKib(), connected);
    Double heap = perConnection(after.liveHeapKib() - before.liveHeapKib(), connected);
    Double total = rss == null ? null : rss + heap;
    String summary =
        String.format(
            Locale.ROOT,
            "bench idle: devices=%d connected=%d hold_s=%d rss_kib=%d->%d heap_live_kib=%d->%d"
                + " rss_kib_per_connection=%s heap_kib_per_connection=%s"
                + " total_kib_per_connection=%s",
            devices,
            connected,
            hold.toSeconds(),
            before.residentKib(),
            after.residentKib(),
            before.liveHeapKib(),
            after.liveHeapKib(),
            format(rss),
            format(heap),
            format(total));
    return new IdleReport(
        devices,
        connected,
        Math.round(connecting.toMillis() / 100.0) / 10.0,
        hold.toSeconds(),
        before.residentKib(),
        after.residentKib(),
        before.liveHeapKib(),
        after.liveHeapKib(),
        rss,
        heap,
        total,
        summary);
  }

  /** Writes the report as indented JSON. */
  public void write(Path file) throws IOException {
    JsonReportFile.write(file, this);
  }

  private static Double perConnection(long growthKib, int connected) {
    return connected == 0 ? null : Math.round(growthKib * 100.0 / connected) / 100.0;
  }

  private static String format(Double kib) {
    return kib == null ? "n/a" : String.format(Locale.ROOT, "%.2f", kib);
  }
}
