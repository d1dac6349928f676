package vn.lantern.deploy.kafka;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import vn.lantern.common.bus.ZoneCommand;
import vn.lantern.common.bus.ZoneEvent;
import vn.lantern.common.telemetry.DeviceRef;
import vn.lantern.common.telemetry.Reading;
import vn.lantern.common.telemetry.TelemetryBatch;

/**
 * The wire shape of a batch on Kafka: JSON {@code {"v":1,"device":{"id","type","zone","site"},
 * "protocol","readings":[{"metric","value","timestampMs"}]}}. Unknown fields are ignored so a newer
 * producer can add some; a different {@code v} is refused.
 *
 * <p>A {@link ZoneCommand} travels on the same topic, keyed by its zone, as a record with the
 * header {@value #COMMAND_HEADER} (its kind) and its JSON body as value. A {@link ZoneEvent}
 * travels likewise on the events topic, with the headers {@value #EVENT_HEADER} (its kind) and
 * {@value #ORIGIN_HEADER} (the publishing node, so that it skips its own events).
 */
final class BatchCodec {
  static final int VERSION = 1;

  /** The header that marks a record as a command, with the command's kind as value. */
  static final String COMMAND_HEADER = "lantern-command";

  /** The header that holds an event's kind. */
  static final String EVENT_HEADER = "lantern-event";

  /** The header that names the node that published an event. */
  static final String ORIGIN_HEADER = "lantern-origin";

  private static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private BatchCodec() {}

  record Envelope(int v, DeviceRef device, String protocol, List<Reading> readings) {}

  static byte[] encode(TelemetryBatch batch) {
    try {
      return JSON.writeValueAsBytes(
          new Envelope(VERSION, batch.device(), batch.protocol(), batch.readings()));
    } catch (IOException e) {
      throw new IllegalStateException("a telemetry batch is always serializable", e);
    }
  }

  /** The command a record carries, or null when it carries a batch. */
  static ZoneCommand command(ConsumerRecord<String, byte[]> record) {
    Header kind = record.headers().lastHeader(COMMAND_HEADER);
    if (kind == null) {
      return null;
    }
    return new ZoneCommand(
        record.key(),
        new String(kind.value(), StandardCharsets.UTF_8),
        new JsonObject(Buffer.buffer(record.value())));
  }

  /** The record that carries {@code event}, published by the node {@code origin}. */
  static ProducerRecord<String, byte[]> eventRecord(String topic, ZoneEvent event, String origin) {
    ProducerRecord<String, byte[]> record =
        new ProducerRecord<>(topic, event.zone(), event.body().toBuffer().getBytes());
    record.headers().add(EVENT_HEADER, event.kind().getBytes(StandardCharsets.UTF_8));
    record.headers().add(ORIGIN_HEADER, origin.getBytes(StandardCharsets.UTF_8));
    return record;
  }

  /** The node that published an event record, or null. */
  static String origin(ConsumerRecord<String, byte[]> record) {
    Header origin = record.headers().lastHeader(ORIGIN_HEADER);
    return origin == null ? null : new String(origin.value(), StandardCharsets.UTF_8);
  }

  /**
   * The event a record of the events topic carries.
   *
   * @throws IllegalArgumentException when it carries none
   */
  static ZoneEvent event(ConsumerRecord<String, byte[]> record) {
    Header kind = record.headers().lastHeader(EVENT_HEADER);
    if (kind == null || record.value() == null) {
      throw new IllegalArgumentException("not an event record");
    }
    return new ZoneEvent(
        record.key(),
        new String(kind.value(), StandardCharsets.UTF_8),
        new JsonObject(Buffer.buffer(record.value())));
  }

  /**
   * @throws IOException when the bytes are not a batch of this version
   */
  static TelemetryBatch decode(byte[] bytes) throws IOException {
    Envelope envelope = JSON.readValue(bytes, Envelope.class);
    if (envelope.v() != VERSION) {
      throw new IOException("unsupported batch version " + envelope.v());
    }
    if (envelope.device() == null || envelope.readings() == null) {
      throw new IOException("batch without device or readings");
    }
    return new TelemetryBatch(envelope.device(), envelope.readings(), envelope.protocol());
  }
}
