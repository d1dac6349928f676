package vn.lantern.deploy.kafka;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * How the node's Kafka clients (producer, consumers, admin) protect their connections and log in to
 * the brokers, turned into kafka-clients' own settings: TLS with a PEM CA bundle and optionally a
 * client certificate, and SASL PLAIN or SCRAM with a username and password.
 *
 * @param protocol {@code PLAINTEXT}, {@code SSL}, {@code SASL_PLAINTEXT} or {@code SASL_SSL}
 * @param caFile PEM bundle of the CAs that sign the brokers' certificates; empty: the JVM's CAs
 * @param certFile PEM client certificate (chain) for mutual TLS; empty: none
 * @param keyFile its unencrypted PKCS#8 PEM key (what {@code ./lantern ca issue} writes)
 * @param saslMechanism {@code PLAIN}, {@code SCRAM-SHA-256} or {@code SCRAM-SHA-512}, for the SASL
 *     protocols
 * @param username SASL username
 * @param password SASL password
 */
public record KafkaSecurity(
    String protocol,
    String caFile,
    String certFile,
    String keyFile,
    String saslMechanism,
    String username,
    String password) {
  private static final Set<String> PROTOCOLS =
      Set.of("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL");
  private static final Map<String, String> LOGIN_MODULES =
      Map.of(
          "PLAIN", "org.apache.kafka.common.security.plain.PlainLoginModule",
          "SCRAM-SHA-256", "org.apache.kafka.common.security.scram.ScramLoginModule",
          "SCRAM-SHA-512", "org.apache.kafka.common.security.scram.ScramLoginModule");

  public KafkaSecurity {
    protocol = blankTo(protocol, "PLAINTEXT").toUpperCase(Locale.ROOT);
    caFile = blankTo(caFile, "");
    certFile = blankTo(certFile, "");
    keyFile = blankTo(keyFile, "");
    saslMechanism = blankTo(saslMechanism, "PLAIN").toUpperCase(Locale.ROOT);
    username = blankTo(username, "");
    password = blankTo(password, "");
  }

  /** The documented defaults: plain TCP, no authentication. */
  public static KafkaSecurity none() {
    return new KafkaSecurity("PLAINTEXT", "", "", "", "PLAIN", "", "");
  }

  /**
   * The kafka-clients settings for these choices (reads the certificate and key files).
   *
   * @throws IllegalArgumentException for an unknown protocol or mechanism, a SASL protocol without
   *     username, a certificate without its key, or a file that cannot be read
   */
  public Map<String, Object> clientProperties() {
    if (!PROTOCOLS.contains(protocol)) {
      throw new IllegalArgumentException(
          "LANTERN_KAFKA_SECURITY_PROTOCOL must be one of " + PROTOCOLS + ", not " + protocol);
    }
    Map<String, Object> properties = new HashMap<>();
    properties.put("security.protocol", protocol);
    if (protocol.endsWith("SSL")) {
      if (!caFile.isEmpty()) {
        properties.put("ssl.truststore.type", "PEM");
        properties.put("ssl.truststore.location", caFile);
      }
      if (!certFile.isEmpty() || !keyFile.isEmpty()) {
        if (certFile.isEmpty() || keyFile.isEmpty()) {
          throw new IllegalArgumentException(
              "a Kafka client certificate needs both LANTERN_KAFKA_CERT_FILE and"
                  + " LANTERN_KAFKA_KEY_FILE");
        }
        // PEM given as values: kafka-clients reads a PEM keystore file only with key and chain
        // in one file, while certificates here come as separate files.
        properties.put("ssl.keystore.type", "PEM");
        properties.put("ssl.keystore.certificate.chain", read(certFile));
        properties.put("ssl.keystore.key", read(keyFile));
      }
    }
    if (protocol.startsWith("SASL_")) {
      String module = LOGIN_MODULES.get(saslMechanism);
      if (module == null) {
        throw new IllegalArgumentException(
            "LANTERN_KAFKA_SASL_MECHANISM must be one of "
                + LOGIN_MODULES.keySet()
                + ", not "
                + saslMechanism);
      }
      if (username.isEmpty()) {
        throw new IllegalArgumentException(
            "LANTERN_KAFKA_USERNAME is required with " + protocol + " (" + saslMechanism + ")");
      }
      properties.put("sasl.mechanism", saslMechanism);
      properties.put(
          "sasl.jaas.config",
          module
              + " required username=\""
              + quoted(username)
              + "\" password=\""
              + quoted(password)
              + "\";");
    }
    return properties;
  }

  /** Never the password. */
  @Override
  public String toString() {
    return "KafkaSecurity[protocol=" + protocol + ", saslMechanism=" + saslMechanism + "]";
  }

  private static String quoted(String value) {
    return value.replace("\\", "\\\\").replace("\"", "\\\"");
  }

  private static String read(String file) {
    try {
      return Files.readString(Path.of(file), StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  private static String blankTo(String value, String fallback) {
    return value == null || value.isBlank() ? fallback : value.trim();
  }
}
