package vn.lantern.ingest.tls;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A small certificate authority for operators who have none: it signs the node's server certificate
 * and device certificates (CN = device id), all with ECDSA P-256 keys, and reads and writes them as
 * PEM. BouncyCastle builds the certificates; nothing here encodes ASN.1 by hand.
 */
public final class CertificateAuthority {
  private static final String SIGNATURE = "SHA256withECDSA";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final X509Certificate certificate;
  private final PrivateKey key;

  private CertificateAuthority(X509Certificate certificate, PrivateKey key) {
    this.certificate = certificate;
    this.key = key;
  }

  /** A certificate and its private key. */
  public record Issued(X509Certificate certificate, PrivateKey key) {
    /** The certificate as PEM. */
    public String certificatePem() {
      return pem(certificate);
    }

    /** The private key as PEM (PKCS#8, unencrypted). */
    public String keyPem() {
      return pem(key);
    }

    /** The SHA-256 fingerprint a device registration pins ({@code certSha256}). */
    public String sha256() {
      return CertificateFingerprint.sha256(certificate);
    }

    /** Writes the certificate and key to two PEM files, the key readable by its owner only. */
    public void write(Path certFile, Path keyFile) {
      writePrivate(keyFile, keyPem());
      writeText(certFile, certificatePem());
    }
  }

  /** Creates a new self-signed CA named {@code name}, valid from now for {@code validity}. */
  public static CertificateAuthority create(String name, Duration validity) {
    KeyPair keys = newKeyPair();
    X500Name subject = name(name);
    Instant now = Instant.now();
    try {
      JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
                  subject,
                  serial(),
                  Date.from(now.minus(Duration.ofMinutes(5))),
                  Date.from(now.plus(validity)),
                  subject,
                  keys.getPublic())
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
              .addExtension(
                  Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
              .addExtension(
                  Extension.subjectKeyIdentifier,
                  false,
                  utils.createSubjectKeyIdentifier(keys.getPublic()));
      return new CertificateAuthority(sign(builder, keys.getPrivate()), keys.getPrivate());
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot create CA: " + e.getMessage(), e);
    }
  }

  /** Loads a CA from its certificate and key PEM files. */
  public static CertificateAuthority load(Path certFile, Path keyFile) {
    List<X509Certificate> chain = Pem.certificates(certFile);
    if (chain.isEmpty()) {
      throw new IllegalArgumentException(certFile + " holds no certificate");
    }
    return new CertificateAuthority(chain.get(0), Pem.privateKey(keyFile));
  }

  /** The CA's own certificate, which clients and the node trust. */
  public X509Certificate certificate() {
    return certificate;
  }

  /** The CA as an {@link Issued} pair, e.g. to write it out. */
  public Issued asIssued() {
    return new Issued(certificate, key);
  }

  /**
   * Issues a TLS server certificate for {@code names}: host names and IP addresses, each becoming a
   * subject alternative name; the first is also the CN.
   */
  public Issued issueServer(List<String> names, Duration validity) {
    return issueService(names, validity, KeyPurposeId.id_kp_serverAuth);
  }

  /**
   * Issues a certificate for a service that is TLS server and client at once, such as a Kafka
   * broker (brokers connect to each other with their own certificate), for {@code names} as in
   * {@link #issueServer}.
   */
  public Issued issueServerAndClient(List<String> names, Duration validity) {
    return issueService(
        names, validity, KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth);
  }

  private Issued issueService(List<String> names, Duration validity, KeyPurposeId... purposes) {
    if (names.isEmpty()) {
      throw new IllegalArgumentException("a server certificate needs at least one name");
    }
    List<GeneralName> altNames = new ArrayList<>();
    for (String name : names) {
      altNames.add(
          isIpAddress(name)
              ? new GeneralName(GeneralName.iPAddress, name)
              : new GeneralName(GeneralName.dNSName, name));
    }
    Instant now = Instant.now();
    return issue(
        names.get(0),
        now.minus(Duration.ofMinutes(5)),
        now.plus(validity),
        new ExtendedKeyUsage(purposes),
        new GeneralNames(altNames.toArray(GeneralName[]::new)));
  }

  /** Issues a device (or gateway) client certificate with CN = {@code deviceId}. */
  public Issued issueDevice(String deviceId, Duration validity) {
    Instant now = Instant.now();
    return issueDevice(deviceId, now.minus(Duration.ofMinutes(5)), now.plus(validity));
  }

  /** Issues a device certificate valid between two instants (e.g. an expired one for a test). */
  public Issued issueDevice(String deviceId, Instant notBefore, Instant notAfter) {
    return issue(
        deviceId, notBefore, notAfter, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth), null);
  }

  private Issued issue(
      String commonName,
      Instant notBefore,
      Instant notAfter,
      ExtendedKeyUsage purposes,
      GeneralNames altNames) {
    KeyPair keys = newKeyPair();
    try {
      JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
                  certificate,
                  serial(),
                  Date.from(notBefore),
                  Date.from(notAfter),
                  toPrincipal(name(commonName)),
                  keys.getPublic())
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
              .addExtension(
                  Extension.keyUsage,
                  true,
                  new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement))
              .addExtension(Extension.extendedKeyUsage, false, purposes)
              .addExtension(
                  Extension.subjectKeyIdentifier,
                  false,
                  utils.createSubjectKeyIdentifier(keys.getPublic()))
              .addExtension(
                  Extension.authorityKeyIdentifier,
                  false,
                  utils.createAuthorityKeyIdentifier(certificate));
      if (altNames != null) {
        builder.addExtension(Extension.subjectAlternativeName, false, altNames);
      }
      return new Issued(sign(builder, key), keys.getPrivate());
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot issue a certificate: " + e.getMessage(), e);
    }
  }

  private static javax.security.auth.x500.X500Principal toPrincipal(X500Name name)
      throws IOException {
    return new javax.security.auth.x500.X500Principal(name.getEncoded());
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signer)
      throws GeneralSecurityException {
    try {
      X509CertificateHolder holder =
          builder.build(new JcaContentSignerBuilder(SIGNATURE).build(signer));
      return new JcaX509CertificateConverter().getCertificate(holder);
    } catch (OperatorCreationException e) {
      throw new GeneralSecurityException(e.getMessage(), e);
    }
  }

  private static X500Name name(String commonName) {
    return new X500NameBuilder(BCStyle.INSTANCE)
        .addRDN(BCStyle.O, "Lantern")
        .addRDN(BCStyle.CN, commonName)
        .build();
  }

  private static BigInteger serial() {
    return new BigInteger(127, RANDOM).add(BigInteger.ONE);
  }

  private static KeyPair newKeyPair() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static boolean isIpAddress(String name) {
    return name.matches("[0-9.]+") || name.contains(":");
  }

  static String pem(Object object) {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      writer.writeObject(
          object instanceof PrivateKey key
              ? new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(key, null)
              : object);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  private static void writeText(Path file, String text) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Files.writeString(file, text, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void writePrivate(Path file, String text) {
    writeText(file, "");
    try {
      Files.setPosixFilePermissions(
          file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException | IOException notPosix) {
      // a file system without POSIX permissions: the directory's protection applies
    }
    writeText(file, text);
  }

  /** PEM files read with BouncyCastle's parser. */
  static final class Pem {
    private Pem() {}

    /** Every certificate in a PEM file (a chain or a bundle), in file order. */
    static List<X509Certificate> certificates(Path file) {
      List<X509Certificate> certificates = new ArrayList<>();
      try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
          PEMParser parser = new PEMParser(reader)) {
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
          if (o instanceof X509CertificateHolder holder) {
            certificates.add(converter.getCertificate(holder));
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
      } catch (GeneralSecurityException e) {
        throw new IllegalArgumentException(file + ": bad certificate: " + e.getMessage(), e);
      }
      return certificates;
    }

    /** The private key in a PEM file (PKCS#8, or a traditional EC/RSA key). */
    static PrivateKey privateKey(Path file) {
      try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
          PEMParser parser = new PEMParser(reader)) {
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
          if (o instanceof PEMKeyPair pair) {
            return converter.getKeyPair(pair).getPrivate();
          }
          if (o instanceof org.bouncycastle.asn1.pkcs.PrivateKeyInfo info) {
            return converter.getPrivateKey(info);
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
      }
      throw new IllegalArgumentException(file + " holds no unencrypted private key");
    }
  }
}
