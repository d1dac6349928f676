package vn.lantern.common.telemetry;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.dataformat.cbor.CBORGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Writes one SenML pack, given as records of alternating label/value pairs, as SenML JSON or as
 * SenML CBOR with integer (RFC 8428 §6) or text labels, so tests can check that all encodings
 * decode alike. An {@link Integer} in a label position is written as that integer CBOR key.
 */
final class SenmlPacks {

  private static final Map<String, Integer> CBOR_LABELS =
      Map.ofEntries(
          Map.entry("bver", -1),
          Map.entry("bn", -2),
          Map.entry("bt", -3),
          Map.entry("bu", -4),
          Map.entry("bv", -5),
          Map.entry("bs", -6),
          Map.entry("n", 0),
          Map.entry("u", 1),
          Map.entry("v", 2),
          Map.entry("vs", 3),
          Map.entry("vb", 4),
          Map.entry("s", 5),
          Map.entry("t", 6),
          Map.entry("ut", 7),
          Map.entry("vd", 8));

  private SenmlPacks() {}

  static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  static byte[] json(Object[]... records) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator g = new JsonFactory().createGenerator(out)) {
      write(g, records, false);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  static byte[] cborIntegerLabels(Object[]... records) {
    return cbor(records, true);
  }

  static byte[] cborTextLabels(Object[]... records) {
    return cbor(records, false);
  }

  private static byte[] cbor(Object[][] records, boolean integerLabels) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (CBORGenerator g = new CBORFactory().createGenerator(out)) {
      write(g, records, integerLabels);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static void write(JsonGenerator g, Object[][] records, boolean integerLabels)
      throws IOException {
    g.writeStartArray();
    for (Object[] record : records) {
      g.writeStartObject();
      for (int i = 0; i < record.length; i += 2) {
        if (record[i] instanceof Integer id) {
          ((CBORGenerator) g).writeFieldId(id); // an explicit integer key, whatever the style
        } else {
          String label = (String) record[i];
          Integer labelId = CBOR_LABELS.get(label);
          if (integerLabels && labelId != null) {
            ((CBORGenerator) g).writeFieldId(labelId);
          } else {
            g.writeFieldName(label);
          }
        }
        Object value = record[i + 1];
        if (value instanceof String s) {
          g.writeString(s);
        } else if (value instanceof Boolean b) {
          g.writeBoolean(b);
        } else if (value instanceof Double d) {
          g.writeNumber(d);
        } else if (value instanceof Integer n) {
          g.writeNumber(n);
        } else if (value instanceof Long n) {
          g.writeNumber(n);
        } else if (value instanceof byte[] data) {
          g.writeBinary(data);
        } else {
          throw new IllegalArgumentException("unsupported test value " + value);
        }
      }
      g.writeEndObject();
    }
    g.writeEndArray();
  }
}
