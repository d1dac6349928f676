package vn.lantern.ingest.tls;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/** How a device certificate is named and pinned: its CN and its SHA-256 fingerprint. */
public final class CertificateFingerprint {
  private CertificateFingerprint() {}

  /** The SHA-256 of the certificate's DER encoding, as 64 lower-case hex digits. */
  public static String sha256(X509Certificate certificate) {
    try {
      return HexFormat.of()
          .formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
    } catch (CertificateEncodingException | NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * A fingerprint as written by people or tools ({@code AB:CD:…}, upper or lower case) in the form
   * {@link #sha256} gives, or empty when it is not 32 bytes of hex.
   */
  public static Optional<String> normalize(String text) {
    String hex = text.replace(":", "").trim().toLowerCase(Locale.ROOT);
    return hex.matches("[0-9a-f]{64}") ? Optional.of(hex) : Optional.empty();
  }

  /** The certificate subject's common name, or empty when it has none. */
  public static Optional<String> commonName(X509Certificate certificate) {
    try {
      LdapName name = new LdapName(certificate.getSubjectX500Principal().getName());
      for (Rdn rdn : name.getRdns()) {
        if ("CN".equalsIgnoreCase(rdn.getType())) {
          return Optional.of(String.valueOf(rdn.getValue()));
        }
      }
      return Optional.empty();
    } catch (InvalidNameException e) {
      return Optional.empty();
    }
  }
}
