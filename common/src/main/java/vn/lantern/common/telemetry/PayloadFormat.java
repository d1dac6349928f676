package vn.lantern.common.telemetry;

import java.util.Optional;

/** The telemetry payload formats a device may send. */
public enum PayloadFormat {
  /** {@code {"ts": 1732350000000, "m": {"pm25": 35.2}}} or an array of such objects. */
  LANTERN_JSON("application/json", 50),
  /** RFC 8428 SenML in JSON. */
  SENML_JSON("application/senml+json", 110),
  /** RFC 8428 SenML in CBOR (integer labels). */
  SENML_CBOR("application/senml+cbor", 112);

  // values() clones its array on every call; this is looked up once per message.
  private static final PayloadFormat[] ALL = values();

  private final String contentType;
  private final int coapContentFormat;

  PayloadFormat(String contentType, int coapContentFormat) {
    this.contentType = contentType;
    this.coapContentFormat = coapContentFormat;
  }

  /** The media type, e.g. {@code application/senml+json}, as used in MQTT 5 and HTTP. */
  public String contentType() {
    return contentType;
  }

  /** The CoAP Content-Format number registered for the media type (RFC 7252 §12.3, RFC 8428). */
  public int coapContentFormat() {
    return coapContentFormat;
  }

  /**
   * The format for a media type, ignoring case and parameters such as {@code ;charset=utf-8}.
   *
   * @param mime a content type, possibly {@code null}
   * @return the format, or empty if the media type is absent or not one of ours
   */
  public static Optional<PayloadFormat> fromContentType(String mime) {
    if (mime == null) {
      return Optional.empty();
    }
    int end = mime.indexOf(';');
    if (end < 0) {
      end = mime.length();
    }
    int start = 0;
    while (start < end && Character.isWhitespace(mime.charAt(start))) {
      start++;
    }
    while (end > start && Character.isWhitespace(mime.charAt(end - 1))) {
      end--;
    }
    int length = end - start;
    for (PayloadFormat format : ALL) {
      if (format.contentType.length() == length
          && mime.regionMatches(true, start, format.contentType, 0, length)) {
        return Optional.of(format);
      }
    }
    return Optional.empty();
  }

  /**
   * The format for a CoAP Content-Format option value.
   *
   * @return the format, or empty for any number other than 50, 110 or 112
   */
  public static Optional<PayloadFormat> fromCoapContentFormat(int contentFormat) {
    for (PayloadFormat format : ALL) {
      if (format.coapContentFormat == contentFormat) {
        return Optional.of(format);
      }
    }
    return Optional.empty();
  }
}
