package vn.lantern.sim.device;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import vn.lantern.sim.scenario.Format;

/**
 * Encodes one sample as the device's payload format: Lantern JSON {@code {"ts":…,"m":{…}}}, or an
 * RFC 8428 SenML pack in JSON or CBOR with the device id as base name and the time as base time.
 */
public final class PayloadEncoder {
  // SenML CBOR labels (RFC 8428 §6): bn -2, bt -3, n 0, v 2.
  private static final int BN = -2;
  private static final int BT = -3;
  private static final int N = 0;
  private static final int V = 2;

  private static final JsonFactory JSON = new JsonFactory();
  private static final CBORFactory CBOR = new CBORFactory();

  private PayloadEncoder() {}

  /**
   * @param deviceId used in the SenML base name {@code urn:dev:<id>:}
   * @param timestampMs the reading's time by the device's clock
   */
  public static byte[] encode(
      Format format, String deviceId, long timestampMs, Map<String, Double> metrics) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try {
      switch (format) {
        case LANTERN_JSON -> lanternJson(out, timestampMs, metrics);
        case SENML_JSON -> senml(JSON.createGenerator(out), false, deviceId, timestampMs, metrics);
        case SENML_CBOR -> senml(CBOR.createGenerator(out), true, deviceId, timestampMs, metrics);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static void lanternJson(
      ByteArrayOutputStream out, long timestampMs, Map<String, Double> metrics) throws IOException {
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      g.writeNumberField("ts", timestampMs);
      g.writeObjectFieldStart("m");
      for (Map.Entry<String, Double> e : metrics.entrySet()) {
        g.writeNumberField(e.getKey(), e.getValue());
      }
      g.writeEndObject();
      g.writeEndObject();
    }
  }

  private static void senml(
      JsonGenerator g, boolean cbor, String deviceId, long timestampMs, Map<String, Double> metrics)
      throws IOException {
    try (g) {
      g.writeStartArray();
      boolean first = true;
      for (Map.Entry<String, Double> e : metrics.entrySet()) {
        g.writeStartObject();
        if (first) {
          label(g, cbor, BN, "bn");
          g.writeString("urn:dev:" + deviceId + ":");
          label(g, cbor, BT, "bt");
          g.writeNumber(timestampMs / 1000.0);
          first = false;
        }
        label(g, cbor, N, "n");
        g.writeString(e.getKey());
        label(g, cbor, V, "v");
        g.writeNumber(e.getValue());
        g.writeEndObject();
      }
      g.writeEndArray();
    }
  }

  private static void label(JsonGenerator g, boolean cbor, int id, String name) throws IOException {
    if (cbor) {
      g.writeFieldId(id);
    } else {
      g.writeFieldName(name);
    }
  }
}
