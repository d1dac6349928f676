package vn.lantern.ingest.pipeline;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.lantern.common.telemetry.PayloadFormat;
import vn.lantern.common.telemetry.TelemetryLimits;
import vn.lantern.ingest.IngestMeters;
import vn.lantern.ingest.registry.Device;
import vn.lantern.ingest.registry.DeviceAuthSettings;
import vn.lantern.ingest.registry.DeviceAuthenticator;
import vn.lantern.ingest.registry.DeviceRegistry;

/**
 * The acknowledgement-duration meter resolves sub-millisecond acknowledgements: a message whose
 * readings are durable at once is recorded as more than 0 and less than 1 ms, and lands in a
 * histogram bucket below 1 ms.
 */
class AckDurationTest {
  private static final Pattern BUCKET =
      Pattern.compile(
          IngestMeters.ACK_DURATION + "_bucket\\{protocol=\"mqtt\",le=\"([0-9.eE-]+)\"} ([0-9.]+)");

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    vertx.close().await();
  }

  @Test
  void aFastAcknowledgementIsRecordedBelowOneMillisecond(@TempDir Path dataDir) {
    DeviceRegistry registry = DeviceRegistry.open(vertx, dataDir, 1000).await();
    PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    try (DeviceAuthenticator authenticator =
        new DeviceAuthenticator(vertx, registry, 1000, DeviceAuthSettings.defaults(), metrics)) {
      registry
          .putDevice(
              new JsonObject()
                  .put("id", "tamky-aq-01")
                  .put("type", "air_quality")
                  .put("zone", "tam-ky")
                  .put("site", "Tam Ky"))
          .await();
      Device client = registry.device("tamky-aq-01").orElseThrow();
      // Durable at once: the acknowledgement takes only the pipeline's own microseconds.
      Pipeline pipeline =
          new Pipeline(
              registry,
              authenticator,
              TelemetryLimits.defaults(),
              batch -> Future.succeededFuture(),
              metrics);
      byte[] payload = "{\"m\":{\"pm25\":35.2}}".getBytes(StandardCharsets.UTF_8);
      List<Long> recordedNanos = new ArrayList<>();
      long before = 0;
      for (int i = 0; i < 50; i++) {
        IngestRequest request =
            new IngestRequest(
                "mqtt",
                client,
                null,
                payload,
                PayloadFormat.LANTERN_JSON,
                System.currentTimeMillis(),
                System.nanoTime());
        assertTrue(pipeline.ingest(request).await().accepted());
        Timer timer = metrics.get(IngestMeters.ACK_DURATION).tag("protocol", "mqtt").timer();
        long total = (long) timer.totalTime(TimeUnit.NANOSECONDS);
        recordedNanos.add(total - before);
        before = total;
      }
      assertTrue(
          recordedNanos.stream().anyMatch(nanos -> nanos > 0 && nanos < 1_000_000),
          "no acknowledgement recorded between 0 and 1 ms: " + recordedNanos);
      assertTrue(
          belowOneMillisecond(metrics.scrape()) > 0,
          "no acknowledgement in a bucket below 1 ms:\n" + metrics.scrape());
    } finally {
      registry.close();
    }
  }

  /** Acknowledgements counted in the largest histogram bucket below 1 ms. */
  private static double belowOneMillisecond(String scrape) {
    double count = 0;
    Matcher bucket = BUCKET.matcher(scrape);
    while (bucket.find()) {
      if (Double.parseDouble(bucket.group(1)) < 0.001) {
        count = Math.max(count, Double.parseDouble(bucket.group(2)));
      }
    }
    return count;
  }
}
