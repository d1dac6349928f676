package vn.lantern.rules.notify;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Webhook signatures: {@code X-Lantern-Signature: sha256=<hex HMAC-SHA256(secret, timestamp + "." +
 * body)>} with the timestamp from {@code X-Lantern-Timestamp}, so a receiver can reject both forged
 * and replayed deliveries.
 */
public final class Signature {
  public static final String SIGNATURE_HEADER = "X-Lantern-Signature";
  public static final String TIMESTAMP_HEADER = "X-Lantern-Timestamp";

  private Signature() {}

  /** The header value for a body sent at {@code timestamp} (epoch ms). */
  public static String sign(String secret, long timestamp, String body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      byte[] digest = mac.doFinal((timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
      return "sha256=" + HexFormat.of().formatHex(digest);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }
}
