package vn.lantern.common.telemetry;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import java.io.IOException;
import java.util.List;
import java.util.Objects;

/**
 * Decodes device payloads (Lantern JSON, SenML JSON, SenML CBOR) into {@link Reading}s with
 * Jackson's streaming parsers, enforcing the size and count limits while parsing. Metric names,
 * values and timestamps are checked afterwards by {@link ReadingValidator}.
 *
 * <p>Thread-safe and meant to be shared: the Jackson factories are immutable once built.
 */
public final class TelemetryDecoder {

  private final TelemetryLimits limits;
  private final JsonFactory json;
  private final CBORFactory cbor;

  /** Creates a decoder enforcing the given limits. */
  public TelemetryDecoder(TelemetryLimits limits) {
    this.limits = Objects.requireNonNull(limits, "limits");
    // NaN and Infinity are not JSON; being explicit keeps them out even if defaults change.
    this.json = JsonFactory.builder().disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();
    this.cbor = new CBORFactory();
  }

  /**
   * Decodes one payload.
   *
   * @param payload the raw message body
   * @param formatOrNull the format from the CoAP Content-Format or MQTT 5 content type, or {@code
   *     null} to detect it from the payload's shape
   * @param receivedAtMs receive time in epoch milliseconds: the timestamp for readings without one,
   *     and "now" for SenML relative times
   * @return the readings in payload order; empty if the payload holds none (which {@link
   *     ReadingValidator} rejects)
   * @throws PayloadRejectedException if the payload is too large, holds too many readings, cannot
   *     be recognised, is malformed, or carries non-numeric values
   */
  public List<Reading> decode(byte[] payload, PayloadFormat formatOrNull, long receivedAtMs)
      throws PayloadRejectedException {
    Objects.requireNonNull(payload, "payload");
    if (payload.length > limits.maxPayloadBytes()) {
      throw new PayloadRejectedException(
          RejectionCause.TOO_LARGE,
          null,
          "payload is " + payload.length + " bytes; the limit is " + limits.maxPayloadBytes());
    }
    if (payload.length == 0) {
      throw new PayloadRejectedException(RejectionCause.MALFORMED, null, "empty payload");
    }
    PayloadFormat format = formatOrNull != null ? formatOrNull : detect(payload);
    boolean isCbor = format == PayloadFormat.SENML_CBOR;
    int maxReadings = limits.maxReadingsPerMessage();
    try (JsonParser p = isCbor ? cbor.createParser(payload) : json.createParser(payload)) {
      List<Reading> readings =
          format == PayloadFormat.LANTERN_JSON
              ? LanternJsonReader.read(p, receivedAtMs, maxReadings)
              : SenmlReader.read(p, isCbor, receivedAtMs, maxReadings);
      if (p.nextToken() != null) {
        throw new PayloadRejectedException(
            RejectionCause.MALFORMED, null, "unexpected data after the end of the payload");
      }
      return readings;
    } catch (IOException e) {
      throw syntaxError(e, isCbor);
    }
  }

  /** Adds a reading, failing as soon as the message exceeds the per-message limit. */
  static void append(List<Reading> out, Reading reading, int maxReadings)
      throws PayloadRejectedException {
    if (out.size() >= maxReadings) {
      throw new PayloadRejectedException(
          RejectionCause.TOO_MANY_READINGS,
          null,
          "more than " + maxReadings + " readings in one message");
    }
    out.add(reading);
  }

  /** Recognises the format by its shape (DESIGN.md §3) when the transport did not say. */
  private PayloadFormat detect(byte[] payload) throws PayloadRejectedException {
    int first = payload[0] & 0xff;
    // CBOR major type 4 (array) is initial byte 0x80..0x9f; no JSON text can start with these.
    if (first >= 0x80 && first <= 0x9f) {
      return PayloadFormat.SENML_CBOR;
    }
    int i = 0;
    if (payload.length >= 3
        && first == 0xef
        && (payload[1] & 0xff) == 0xbb
        && (payload[2] & 0xff) == 0xbf) {
      i = 3; // a UTF-8 byte order mark, which some tools prepend to JSON
    }
    while (i < payload.length && isJsonWhitespace(payload[i])) {
      i++;
    }
    if (i == payload.length) {
      throw new PayloadRejectedException(RejectionCause.MALFORMED, null, "empty payload");
    }
    if (payload[i] == '{') {
      return PayloadFormat.LANTERN_JSON;
    }
    if (payload[i] == '[') {
      return detectJsonArray(payload);
    }
    if (first >= 0xa0 && first <= 0xbf) {
      throw new PayloadRejectedException(
          RejectionCause.UNSUPPORTED_FORMAT,
          null,
          "payload is a CBOR map; SenML CBOR must be an array of records");
    }
    throw new PayloadRejectedException(
        RejectionCause.UNSUPPORTED_FORMAT,
        null,
        "unrecognised payload: expected a JSON object or array (Lantern JSON, SenML JSON) or a"
            + " CBOR array (SenML CBOR), or declare the content format");
  }

  /** Tells Lantern JSON from SenML JSON by the first known key of the first element. */
  private PayloadFormat detectJsonArray(byte[] payload) throws PayloadRejectedException {
    try (JsonParser p = json.createParser(payload)) {
      p.nextToken(); // the '[' already seen
      JsonToken token = p.nextToken();
      if (token == JsonToken.END_ARRAY) {
        return PayloadFormat.LANTERN_JSON; // empty either way; the validator reports it
      }
      if (token != JsonToken.START_OBJECT) {
        throw new PayloadRejectedException(
            RejectionCause.MALFORMED, "[0]", "expected an array of objects");
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String key = p.currentName();
        if (key.equals("m") || key.equals("ts")) {
          return PayloadFormat.LANTERN_JSON;
        }
        if (SenmlReader.isJsonLabel(key)) {
          return PayloadFormat.SENML_JSON;
        }
        p.nextToken();
        p.skipChildren();
      }
      throw new PayloadRejectedException(
          RejectionCause.UNSUPPORTED_FORMAT,
          "[0]",
          "first element has neither Lantern keys (ts, m) nor SenML labels (n, v, bn, bt, ...)");
    } catch (IOException e) {
      throw syntaxError(e, false);
    }
  }

  private static boolean isJsonWhitespace(byte b) {
    return b == ' ' || b == '\t' || b == '\n' || b == '\r';
  }

  /** Turns a parser failure into a short message: no parser internals or payload echo. */
  private static PayloadRejectedException syntaxError(IOException e, boolean isCbor) {
    String syntax = isCbor ? "CBOR" : "JSON";
    String message;
    if (e instanceof JsonEOFException) {
      message = "truncated " + syntax + ": unexpected end of input";
    } else if (e instanceof StreamConstraintsException) {
      message = syntax + " exceeds parser limits (nesting depth, number or string length)";
    } else if (e instanceof InputCoercionException) {
      message = "a number is out of range";
    } else if (e instanceof JsonProcessingException jpe
        && jpe.getLocation() != null
        && jpe.getLocation().getByteOffset() >= 0) {
      message = "invalid " + syntax + " near byte " + jpe.getLocation().getByteOffset();
    } else {
      message = "invalid " + syntax;
    }
    return new PayloadRejectedException(RejectionCause.MALFORMED, null, message);
  }
}
