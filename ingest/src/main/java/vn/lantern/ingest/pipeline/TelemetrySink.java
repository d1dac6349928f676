package vn.lantern.ingest.pipeline;

import io.vertx.core.Future;
import vn.lantern.common.telemetry.TelemetryBatch;

/**
 * Where the pipeline makes an accepted batch durable: the message is acknowledged only when the
 * returned future succeeds. A single node stores in InfluxDB, then publishes in process ({@link
 * StoreThenPublish}); a clustered ingest node hands the batch to Kafka and waits for {@code
 * acks=all}, and a writer group stores it in InfluxDB from there.
 */
public interface TelemetrySink {

  /**
   * Makes {@code batch} durable. Call on a Vert.x context; the future completes on it. It fails
   * with {@link vn.lantern.ingest.store.TelemetryStore.RejectedException} when the readings can
   * never be stored, and with any other exception when the node cannot take them now (e.g. its
   * buffer is full).
   */
  Future<Void> accept(TelemetryBatch batch);
}
