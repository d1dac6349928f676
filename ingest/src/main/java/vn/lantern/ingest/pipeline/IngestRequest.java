package vn.lantern.ingest.pipeline;

import vn.lantern.common.telemetry.PayloadFormat;
import vn.lantern.ingest.registry.Device;

/**
 * One telemetry message as an endpoint hands it to the pipeline.
 *
 * @param protocol {@code mqtt}, {@code coap}, … (metric tag)
 * @param client the authenticated device or gateway
 * @param targetDeviceId the device the readings are for; {@code null} for the client itself
 * @param payload the raw payload
 * @param format the declared format, or {@code null} to detect it from the payload
 * @param receivedAtMs receive time, used for readings without a timestamp
 * @param receivedAtNanos {@link System#nanoTime()} at receipt, from which the time to acknowledge
 *     is measured (wall-clock milliseconds cannot show a sub-millisecond acknowledgement)
 */
public record IngestRequest(
    String protocol,
    Device client,
    String targetDeviceId,
    byte[] payload,
    PayloadFormat format,
    long receivedAtMs,
    long receivedAtNanos) {}
