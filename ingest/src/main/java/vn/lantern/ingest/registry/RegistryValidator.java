package vn.lantern.ingest.registry;

import io.vertx.core.json.JsonObject;
import java.util.regex.Pattern;
import vn.lantern.common.http.InvalidFieldException;
import vn.lantern.common.telemetry.MetricName;
import vn.lantern.common.telemetry.ReadingValidator;
import vn.lantern.ingest.store.LineProtocol;

/**
 * Checks registry input before it is stored. Ids and names end up as InfluxDB tags, MQTT topics and
 * CoAP URIs, so control characters (which line protocol cannot carry) and the MQTT and URI
 * delimiters are refused here, once, instead of being escaped everywhere.
 */
final class RegistryValidator {
  private static final Pattern ZONE_ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");

  /** Path segment of the zones' GeoJSON, so no zone may have it as its id. */
  private static final String GEOJSON = "geojson";

  private static final Pattern ZONE_CODE = Pattern.compile("[0-9]{1,16}");
  private static final String DEVICE_ID_FORBIDDEN = "/+#?&";
  static final int MIN_SECRET_LENGTH = 16;
  // DTLS PSKs up to 64 bytes are what common client stacks (OpenSSL, mbedTLS) accept.
  static final int MAX_PSK_LENGTH = 64;
  private static final Pattern PSK = Pattern.compile("[!-~]+");

  private RegistryValidator() {}

  static String deviceId(JsonObject body, String field) {
    String id = tagValue(body, field, 64);
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      if (Character.isWhitespace(c) || DEVICE_ID_FORBIDDEN.indexOf(c) >= 0) {
        throw new InvalidFieldException(
            field, "must not contain white space or any of " + DEVICE_ID_FORBIDDEN);
      }
    }
    return id;
  }

  /**
   * Reads a text field that becomes an InfluxDB tag value: also refused when line protocol cannot
   * carry it (a backslash at its end).
   */
  static String tagValue(JsonObject body, String field, int maxLength) {
    String value = text(body, field, true, maxLength);
    String problem = LineProtocol.unrepresentableTag(field, value);
    if (problem != null) {
      throw new InvalidFieldException(
          field, "cannot be stored as an InfluxDB tag: " + problem.substring(field.length() + 1));
    }
    return value;
  }

  static String type(JsonObject body) {
    String type = text(body, "type", true, 64);
    // The type is the InfluxDB measurement: the same rule as a metric name.
    if (!ReadingValidator.isValidMetricName(type)) {
      throw new InvalidFieldException(
          "type", "must match " + MetricName.RULE + ", e.g. air_quality");
    }
    return type;
  }

  static String zoneId(JsonObject body, String field) {
    String id = text(body, field, true, 64);
    if (!ZONE_ID.matcher(id).matches()) {
      throw new InvalidFieldException(field, "must match [a-z0-9][a-z0-9-]{0,63}, e.g. hoi-an");
    }
    if (id.equals(GEOJSON)) {
      throw new InvalidFieldException(field, "'geojson' names the zones' boundaries in the API");
    }
    return id;
  }

  /**
   * An official administrative-unit code: digits only (the national list numbers provinces with 2
   * digits, communes and wards with 5), optional.
   */
  static String zoneCode(JsonObject body) {
    String code = text(body, "code", false, 16);
    if (code != null && !ZONE_CODE.matcher(code).matches()) {
      throw new InvalidFieldException("code", "must be the unit's code in digits, e.g. 48");
    }
    return code;
  }

  static String secret(JsonObject body) {
    String secret = text(body, "secret", false, 256);
    if (secret != null && secret.length() < MIN_SECRET_LENGTH) {
      throw new InvalidFieldException(
          "secret", "must be at least " + MIN_SECRET_LENGTH + " characters");
    }
    return secret;
  }

  /**
   * A DTLS pre-shared key as typed into a device's configuration (e.g. {@code coap-client -k}):
   * printable ASCII, its bytes being the key.
   */
  static String psk(JsonObject body) {
    String psk = text(body, "psk", false, MAX_PSK_LENGTH);
    if (psk == null) {
      return null;
    }
    if (psk.length() < MIN_SECRET_LENGTH || !PSK.matcher(psk).matches()) {
      throw new InvalidFieldException(
          "psk",
          "must be "
              + MIN_SECRET_LENGTH
              + " to "
              + MAX_PSK_LENGTH
              + " printable ASCII characters without spaces");
    }
    return psk;
  }

  static Double coordinate(JsonObject body, String field, double limit) {
    Object value = body.getValue(field);
    if (value == null) {
      return null;
    }
    if (!(value instanceof Number number)
        || !Double.isFinite(number.doubleValue())
        || Math.abs(number.doubleValue()) > limit) {
      throw new InvalidFieldException(
          field, "must be a number between -" + limit + " and " + limit);
    }
    return number.doubleValue();
  }

  /**
   * Reads a text field: trimmed of nothing (stored exactly as sent), non-empty, at most {@code
   * maxLength} characters and free of control characters.
   */
  static String text(JsonObject body, String field, boolean required, int maxLength) {
    Object value = body.getValue(field);
    if (value == null) {
      if (required) {
        throw new InvalidFieldException(field, "is required");
      }
      return null;
    }
    if (!(value instanceof String text)) {
      throw new InvalidFieldException(field, "must be a string");
    }
    if (text.isEmpty() || text.length() > maxLength) {
      throw new InvalidFieldException(field, "must be 1 to " + maxLength + " characters");
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
        throw new InvalidFieldException(field, "must not contain control characters");
      }
    }
    return text;
  }

  /**
   * The certificate pin: absent keeps the stored one ({@code keep}), JSON {@code null} removes it,
   * otherwise a SHA-256 fingerprint in hex (colons and upper case allowed), stored normalized.
   */
  static String certSha256(JsonObject body, String keep) {
    if (!body.containsKey("certSha256")) {
      return keep;
    }
    String text = text(body, "certSha256", false, 128);
    if (text == null) {
      return null;
    }
    return vn.lantern.ingest.tls.CertificateFingerprint.normalize(text)
        .orElseThrow(
            () ->
                new InvalidFieldException(
                    "certSha256", "must be a SHA-256 fingerprint: 64 hex digits, colons allowed"));
  }

  /** The disabled flag: absent keeps {@code keep}. */
  static boolean disabled(JsonObject body, boolean keep) {
    Object value = body.getValue("disabled");
    if (value == null) {
      return keep;
    }
    if (!(value instanceof Boolean flag)) {
      throw new InvalidFieldException("disabled", "must be true or false");
    }
    return flag;
  }
}
