package vn.lantern.ingest.tls;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Certificates made for one test run in its temporary directory: a server CA with the node's
 * certificate for 127.0.0.1 and localhost, a device CA, and an unrelated "rogue" CA. No key is ever
 * committed to the repository.
 */
public final class TestPki {
  public final Path dir;
  public final CertificateAuthority serverCa;
  public final CertificateAuthority deviceCa;
  public final CertificateAuthority rogueCa;
  public final Path serverCaFile;
  public final Path deviceCaFile;
  public final Path rogueCaFile;
  public final Path serverCert;
  public final Path serverKey;

  public TestPki(Path dir) {
    this.dir = dir;
    serverCa = CertificateAuthority.create("Lantern test server CA", Duration.ofDays(2));
    deviceCa = CertificateAuthority.create("Lantern test device CA", Duration.ofDays(2));
    rogueCa = CertificateAuthority.create("Rogue CA", Duration.ofDays(2));
    serverCaFile = writeCa(serverCa, "server-ca.pem");
    deviceCaFile = writeCa(deviceCa, "device-ca.pem");
    rogueCaFile = writeCa(rogueCa, "rogue-ca.pem");
    serverCert = dir.resolve("server.pem");
    serverKey = dir.resolve("server.key");
    serverCa
        .issueServer(List.of("127.0.0.1", "localhost"), Duration.ofDays(1))
        .write(serverCert, serverKey);
  }

  /** Writes a certificate and key as {@code name.pem} and {@code name.key}; returns the pair. */
  public Files write(CertificateAuthority.Issued issued, String name) {
    Files files = new Files(dir.resolve(name + ".pem"), dir.resolve(name + ".key"));
    issued.write(files.cert(), files.key());
    return files;
  }

  /** Where a certificate and its key were written. */
  public record Files(Path cert, Path key) {}

  private Path writeCa(CertificateAuthority ca, String name) {
    Path file = dir.resolve(name);
    ca.asIssued().write(file, dir.resolve(name + ".key"));
    return file;
  }
}
