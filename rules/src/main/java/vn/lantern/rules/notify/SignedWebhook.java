package vn.lantern.rules.notify;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.WebClient;

/**
 * One webhook delivery as every Lantern webhook sends it: a JSON body, a delivery id, the timestamp
 * and, when there is a secret, the {@link Signature}; any 2xx answer is success. Redirects are not
 * followed (a 3xx is a failed delivery), so a receiver cannot send the node on to another address.
 */
public final class SignedWebhook {
  private SignedWebhook() {}

  /**
   * Posts {@code body} to {@code url}.
   *
   * @param secret HMAC key, or {@code null} to send unsigned
   * @param event value of {@code X-Lantern-Event}, or {@code null} for none
   */
  public static Future<Void> post(
      WebClient web,
      String url,
      long timeoutMs,
      String secret,
      String body,
      String deliveryId,
      String event) {
    return send(web.postAbs(url), timeoutMs, secret, body, deliveryId, event);
  }

  /**
   * Posts {@code body} to a checked target: connects to its address, while the URL's host still
   * names the receiver in the Host header and, for https, in SNI and the certificate check.
   */
  static Future<Void> post(
      WebClient web,
      WebhookTargets.Target target,
      long timeoutMs,
      String secret,
      String body,
      String deliveryId,
      String event) {
    return send(
        web.requestAbs(HttpMethod.POST, target.server(), target.url()),
        timeoutMs,
        secret,
        body,
        deliveryId,
        event);
  }

  private static Future<Void> send(
      HttpRequest<Buffer> request,
      long timeoutMs,
      String secret,
      String body,
      String deliveryId,
      String event) {
    long timestamp = System.currentTimeMillis();
    request
        .followRedirects(false)
        .timeout(timeoutMs)
        .putHeader("Content-Type", "application/json")
        .putHeader("X-Lantern-Delivery", deliveryId)
        .putHeader(Signature.TIMESTAMP_HEADER, Long.toString(timestamp));
    if (event != null) {
      request.putHeader("X-Lantern-Event", event);
    }
    if (secret != null) {
      request.putHeader(Signature.SIGNATURE_HEADER, Signature.sign(secret, timestamp, body));
    }
    return request
        .sendBuffer(Buffer.buffer(body))
        .compose(
            response ->
                response.statusCode() / 100 == 2
                    ? Future.succeededFuture()
                    : Future.failedFuture("HTTP " + response.statusCode()));
  }
}
