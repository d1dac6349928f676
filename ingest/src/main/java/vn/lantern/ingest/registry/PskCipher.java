package vn.lantern.ingest.registry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts device pre-shared keys at rest.
 *
 * <p>Unlike a password, a DTLS PSK cannot be stored as a one-way hash: the server derives the
 * session keys from the PSK itself, so it must be able to recover it. The registry therefore keeps
 * it encrypted with AES-256-GCM under a node key that never enters the database: a copy of the
 * registry file alone does not reveal any PSK. The device id is the GCM associated data, so a
 * ciphertext copied onto another device's row does not decrypt.
 *
 * <p>The node key comes from configuration ({@code LANTERN_PSK_KEY}, base64 of 32 bytes) or, when
 * none is configured, from {@code psk.key} in the data directory, generated on first start with
 * owner-only permissions.
 */
public final class PskCipher {
  static final String KEY_FILE = "psk.key";
  private static final String VERSION = "v1:";
  private static final int KEY_BYTES = 32;
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;

  private final SecretKey key;
  private final SecureRandom random = new SecureRandom();

  private PskCipher(byte[] key) {
    if (key.length != KEY_BYTES) {
      throw new IllegalArgumentException(
          "the PSK key must be " + KEY_BYTES + " bytes (base64), got " + key.length);
    }
    this.key = new SecretKeySpec(key, "AES");
  }

  /**
   * The cipher for a configured key, or for the key file under {@code dataDir} when {@code
   * base64Key} is empty. Blocks on file I/O: call off the event loop.
   */
  public static PskCipher open(String base64Key, Path dataDir) {
    if (base64Key != null && !base64Key.isBlank()) {
      try {
        return new PskCipher(Base64.getDecoder().decode(base64Key.trim()));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("invalid PSK key: " + e.getMessage(), e);
      }
    }
    return new PskCipher(keyFile(dataDir.resolve(KEY_FILE)));
  }

  private static byte[] keyFile(Path file) {
    try {
      if (!Files.exists(file)) {
        byte[] fresh = new byte[KEY_BYTES];
        new SecureRandom().nextBytes(fresh);
        try {
          Files.createFile(
              file,
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
          Files.writeString(file, Base64.getEncoder().encodeToString(fresh));
          return fresh;
        } catch (FileAlreadyExistsException createdConcurrently) {
          // another node process on the same data dir won the race: use its key
        }
      }
      return Base64.getDecoder().decode(Files.readString(file).trim());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or create PSK key file " + file, e);
    }
  }

  /** Encrypts a device's PSK for storage. */
  public String encrypt(String deviceId, byte[] psk) {
    byte[] nonce = new byte[NONCE_BYTES];
    random.nextBytes(nonce);
    try {
      Cipher cipher = cipher(Cipher.ENCRYPT_MODE, deviceId, nonce);
      byte[] sealed = cipher.doFinal(psk);
      byte[] out = Arrays.copyOf(nonce, NONCE_BYTES + sealed.length);
      System.arraycopy(sealed, 0, out, NONCE_BYTES, sealed.length);
      return VERSION + Base64.getEncoder().encodeToString(out);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM unavailable", e);
    }
  }

  /**
   * Decrypts a stored PSK.
   *
   * @throws IllegalStateException when it was encrypted under another node key or for another
   *     device
   */
  public byte[] decrypt(String deviceId, String stored) {
    if (!stored.startsWith(VERSION)) {
      throw new IllegalStateException("unknown PSK encoding for device " + deviceId);
    }
    byte[] in = Base64.getDecoder().decode(stored.substring(VERSION.length()));
    try {
      Cipher cipher = cipher(Cipher.DECRYPT_MODE, deviceId, Arrays.copyOfRange(in, 0, NONCE_BYTES));
      return cipher.doFinal(in, NONCE_BYTES, in.length - NONCE_BYTES);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(
          "cannot decrypt the PSK of device " + deviceId + ": wrong node PSK key?", e);
    }
  }

  private Cipher cipher(int mode, String deviceId, byte[] nonce) throws GeneralSecurityException {
    Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
    cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
    cipher.updateAAD(deviceId.getBytes(StandardCharsets.UTF_8));
    return cipher;
  }
}
