package vn.lantern.ingest.coap;

import java.nio.charset.StandardCharsets;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.Response;
import vn.lantern.ingest.pipeline.IngestResult;

/** Turns pipeline results into CoAP responses (RFC 7252 §5.9, RFC 7959 §2.9.3). */
final class CoapResponses {
  /** Max-Age of a 5.03: when the device should try again. */
  static final long RETRY_AFTER_SECONDS = 30;

  // A diagnostic payload is for humans and must fit in the datagram next to the header.
  private static final int MAX_DIAGNOSTIC_CHARS = 120;

  private CoapResponses() {}

  /**
   * The response for a result.
   *
   * @param maxPayloadBytes the payload limit, sent as Size1 with 4.13
   */
  static Response of(IngestResult result, int maxPayloadBytes) {
    return switch (result.outcome()) {
      case ACCEPTED -> new Response(ResponseCode.CHANGED);
      case NOT_AUTHORIZED -> diagnostic(ResponseCode.FORBIDDEN, result);
      case INVALID_TOPIC -> diagnostic(ResponseCode.NOT_FOUND, result);
      case TOO_LARGE -> {
        Response tooLarge = diagnostic(ResponseCode.REQUEST_ENTITY_TOO_LARGE, result);
        tooLarge.getOptions().setSize1(maxPayloadBytes);
        yield tooLarge;
      }
      case UNSUPPORTED_FORMAT -> diagnostic(ResponseCode.UNSUPPORTED_CONTENT_FORMAT, result);
      // InfluxDB refusing the readings (e.g. a field's type changed) will not change on
      // retry: a client error, not a server one.
      case INVALID_PAYLOAD, STORAGE_REJECTED -> diagnostic(ResponseCode.BAD_REQUEST, result);
      case UNAVAILABLE -> serviceUnavailable(result.message());
    };
  }

  /** 4.01: the request carries no valid credentials. */
  static Response unauthorized(String message) {
    return diagnostic(ResponseCode.UNAUTHORIZED, message);
  }

  /** 5.03 with Max-Age telling the device when to retry. */
  static Response serviceUnavailable(String message) {
    Response response = diagnostic(ResponseCode.SERVICE_UNAVAILABLE, message);
    response.getOptions().setMaxAge(RETRY_AFTER_SECONDS);
    return response;
  }

  private static Response diagnostic(ResponseCode code, IngestResult result) {
    return diagnostic(
        code, result.field() == null ? result.message() : result.field() + ": " + result.message());
  }

  private static Response diagnostic(ResponseCode code, String message) {
    Response response = new Response(code);
    String text =
        message.length() > MAX_DIAGNOSTIC_CHARS
            ? message.substring(0, MAX_DIAGNOSTIC_CHARS - 1) + "…"
            : message;
    // RFC 7252 §5.5.2: a diagnostic payload is UTF-8 text without a Content-Format.
    response.setPayload(text.getBytes(StandardCharsets.UTF_8));
    return response;
  }
}
