package vn.lantern.auth;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * PBKDF2-HMAC-SHA256 password hashes in the form {@code pbkdf2-sha256$iterations$salt$hash}.
 * Deliberately slow: call from a worker thread.
 */
public final class PasswordHasher {
  private static final String PREFIX = "pbkdf2-sha256";
  private static final SecureRandom RANDOM = new SecureRandom();
  private final int iterations;

  public PasswordHasher(int iterations) {
    this.iterations = iterations;
  }

  public String hash(String password) {
    byte[] salt = new byte[16];
    RANDOM.nextBytes(salt);
    Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
    return PREFIX
        + '$'
        + iterations
        + '$'
        + b64.encodeToString(salt)
        + '$'
        + b64.encodeToString(derive(password, salt, iterations));
  }

  /** Checks a password against a stored hash in constant time. */
  public boolean verify(String password, String stored) {
    String[] parts = stored.split("\\$");
    if (parts.length != 4 || !parts[0].equals(PREFIX)) {
      return false;
    }
    byte[] salt = Base64.getDecoder().decode(parts[2]);
    byte[] expected = Base64.getDecoder().decode(parts[3]);
    return MessageDigest.isEqual(expected, derive(password, salt, Integer.parseInt(parts[1])));
  }

  private static byte[] derive(String password, byte[] salt, int iterations) {
    try {
      PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, iterations, 256);
      return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("PBKDF2WithHmacSHA256 unavailable", e);
    }
  }

  /** Whether a stored value has the form of a hash this class produces. */
  public static boolean isHash(String stored) {
    String[] parts = stored.split("\\$");
    if (parts.length != 4 || !parts[0].equals(PREFIX) || !parts[1].matches("\\d{1,9}")) {
      return false;
    }
    try {
      Base64.getDecoder().decode(parts[2]);
      Base64.getDecoder().decode(parts[3]);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /**
   * Prints the hash of a password read from standard input, for the users file: {@code java -cp
   * lantern-standalone.jar vn.lantern.auth.PasswordHasher [iterations]}.
   */
  public static void main(String[] args) throws java.io.IOException {
    int iterations = args.length > 0 ? Integer.parseInt(args[0]) : 210_000;
    String password =
        new String(System.in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
    if (password.length() < 12) {
      System.err.println("the password must be at least 12 characters");
      System.exit(2);
    }
    System.out.println(new PasswordHasher(iterations).hash(password));
  }

  /** A random password or key of {@code length} URL-safe characters. */
  public static String randomSecret(int length) {
    byte[] bytes = new byte[length];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes).substring(0, length);
  }
}
