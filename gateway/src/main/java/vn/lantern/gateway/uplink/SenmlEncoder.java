package vn.lantern.gateway.uplink;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.List;
import vn.lantern.gateway.store.QueuedReading;

/**
 * Encodes one device's readings as a SenML JSON pack (RFC 8428): a base name {@code urn:dev:{id}:},
 * the earliest time as base time and each record's offset in seconds with millisecond precision, so
 * timestamps arrive exact. Units are sent as SenML {@code u}.
 */
public final class SenmlEncoder {
  private static final JsonFactory JSON = new JsonFactory();

  private SenmlEncoder() {}

  /** The pack for readings of one device. */
  public static byte[] encode(String deviceId, List<QueuedReading> readings) {
    long baseMs = Long.MAX_VALUE;
    for (QueuedReading r : readings) {
      baseMs = Math.min(baseMs, r.timestampMs());
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(64 + readings.size() * 48);
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartArray();
      boolean first = true;
      for (QueuedReading r : readings) {
        g.writeStartObject();
        if (first) {
          g.writeStringField("bn", "urn:dev:" + deviceId + ":");
          g.writeFieldName("bt");
          g.writeNumber(BigDecimal.valueOf(baseMs, 3));
          first = false;
        }
        g.writeStringField("n", r.metric());
        if (r.unit() != null && !r.unit().isEmpty()) {
          g.writeStringField("u", r.unit());
        }
        g.writeNumberField("v", r.value());
        long offset = r.timestampMs() - baseMs;
        if (offset != 0) {
          g.writeFieldName("t");
          g.writeNumber(BigDecimal.valueOf(offset, 3));
        }
        g.writeEndObject();
      }
      g.writeEndArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
