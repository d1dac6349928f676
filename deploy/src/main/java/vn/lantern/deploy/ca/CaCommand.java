package vn.lantern.deploy.ca;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import vn.lantern.ingest.tls.CertificateAuthority;

/**
 * {@code lantern ca}: a small local CA for operators who have none. It writes PEM files: the CA
 * ({@code ca.pem}, {@code ca.key}), the node's server certificate and device certificates (CN =
 * device id) that devices present instead of a password.
 */
@Command(
    name = "lantern ca",
    mixinStandardHelpOptions = true,
    description = "A small local certificate authority: PEM files for the node and its devices.",
    subcommands = {CaCommand.Init.class, CaCommand.Server.class, CaCommand.Issue.class})
public final class CaCommand implements Runnable {
  @Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Command line entry point. */
  public static void main(String[] args) {
    System.exit(new CommandLine(new CaCommand()).execute(args));
  }

  /** Options every subcommand shares. */
  static class CaDir {
    @Option(
        names = "--dir",
        defaultValue = "var/ca",
        description = "directory of the CA and the files it writes; default: ${DEFAULT-VALUE}")
    Path dir;

    CertificateAuthority load() {
      Path cert = dir.resolve("ca.pem");
      if (!Files.exists(cert)) {
        throw new CommandLine.ParameterException(
            new CommandLine(this), "no CA in " + dir + ": run lantern ca init first");
      }
      return CertificateAuthority.load(cert, dir.resolve("ca.key"));
    }
  }

  @Command(name = "init", mixinStandardHelpOptions = true, description = "Creates the CA.")
  static final class Init implements Callable<Integer> {
    @CommandLine.Mixin CaDir ca;

    @Option(
        names = "--name",
        defaultValue = "Lantern local CA",
        description = "CA name (its CN); default: ${DEFAULT-VALUE}")
    String name;

    @Option(
        names = "--days",
        defaultValue = "3650",
        description = "validity; default: ${DEFAULT-VALUE}")
    int days;

    @Option(names = "--force", description = "replace an existing CA (devices must be re-issued)")
    boolean force;

    @Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      Path cert = ca.dir.resolve("ca.pem");
      PrintWriter out = spec.commandLine().getOut();
      if (Files.exists(cert) && !force) {
        out.println("CA exists: " + cert + " (--force replaces it)");
        return 0;
      }
      CertificateAuthority.create(name, Duration.ofDays(days))
          .asIssued()
          .write(cert, ca.dir.resolve("ca.key"));
      out.println("CA written: " + cert + " and " + ca.dir.resolve("ca.key"));
      out.println(
          "Clients trust "
              + cert
              + "; the node trusts device certificates with LANTERN_DEVICE_CA="
              + cert);
      return 0;
    }
  }

  @Command(
      name = "server",
      mixinStandardHelpOptions = true,
      description = "Issues the node's server certificate (server.pem, server.key).")
  static final class Server implements Callable<Integer> {
    @CommandLine.Mixin CaDir ca;

    @Parameters(
        arity = "1..*",
        description = "host names and IP addresses clients connect to, e.g. 127.0.0.1 localhost")
    List<String> names;

    @Option(
        names = "--days",
        defaultValue = "398",
        description = "validity; default: ${DEFAULT-VALUE}")
    int days;

    @Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      Path cert = ca.dir.resolve("server.pem");
      Path key = ca.dir.resolve("server.key");
      ca.load().issueServer(names, Duration.ofDays(days)).write(cert, key);
      spec.commandLine()
          .getOut()
          .println(
              "Server certificate written: LANTERN_TLS_CERT=" + cert + " LANTERN_TLS_KEY=" + key);
      return 0;
    }
  }

  @Command(
      name = "issue",
      mixinStandardHelpOptions = true,
      description = "Issues a device (or gateway) certificate with CN = DEVICE_ID.")
  static final class Issue implements Callable<Integer> {
    @CommandLine.Mixin CaDir ca;

    @Parameters(index = "0", paramLabel = "DEVICE_ID", description = "the registered device id")
    String deviceId;

    @Option(
        names = "--days",
        defaultValue = "825",
        description = "validity; default: ${DEFAULT-VALUE}")
    int days;

    @Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      if (!deviceId.matches("[^/+#?&\\s]{1,128}")) {
        throw new CommandLine.ParameterException(
            spec.commandLine(), "not a device id: " + deviceId);
      }
      Path cert = ca.dir.resolve(deviceId + ".pem");
      Path key = ca.dir.resolve(deviceId + ".key");
      CertificateAuthority.Issued issued = ca.load().issueDevice(deviceId, Duration.ofDays(days));
      issued.write(cert, key);
      PrintWriter out = spec.commandLine().getOut();
      out.println("Device certificate written: " + cert + " and " + key);
      out.println("certSha256: " + issued.sha256());
      return 0;
    }
  }
}
