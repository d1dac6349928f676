package vn.lantern.sim.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import vn.lantern.common.build.VersionProvider;
import vn.lantern.sim.load.BenchOptions;
import vn.lantern.sim.load.BenchReport;
import vn.lantern.sim.load.IngestBench;

/** {@code bench ingest}: MQTT load against a node, with a JSON report. */
@Command(
    name = "ingest",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Opens --devices MQTT connections (Vert.x MQTT client on a few event loops) or CoAP/DTLS"
          + " clients (--coap), publishes for"
          + " --duration at --rate readings/s in total or as fast as acknowledged, measures"
          + " publish->PUBACK latency, then checks in InfluxDB that every acknowledged reading was"
          + " stored. Writes a JSON report and prints a one-line summary."
    })
final class BenchIngestCommand implements Callable<Integer> {
  @Option(names = "--mqtt", description = "MQTT endpoint, tcp://HOST:PORT or ssl://HOST:PORT")
  String mqtt;

  @Mixin TlsOptions tls;

  @Option(
      names = "--coap",
      description =
          "instead of --mqtt: the node's CoAP/DTLS endpoint, coaps://HOST:PORT, or coap://HOST:PORT"
              + " (plain UDP, a node with coap.insecure on). One client keeps up about 247"
              + " confirmable requests/s for long: a message id is not reused within 247 s"
              + " (RFC 7252 4.4), so give faster loads more --devices; a failed request is sent"
              + " again after a back-off (10 ms doubling to 1 s)")
  String coap;

  @Option(
      names = "--api",
      description = "node API to register the bench devices (PUT); omit when they exist")
  String api;

  @Option(names = "--influx", description = "InfluxDB URL for the stored-readings check")
  String influx;

  @Option(names = "--influx-db", defaultValue = "lantern", description = "InfluxDB database")
  String influxDb;

  @Option(names = "--devices", defaultValue = "1000", description = "connections (one device each)")
  int devices;

  @Option(
      names = "--duration",
      defaultValue = "30s",
      converter = DurationConverter.class,
      description = "how long to publish, default ${DEFAULT-VALUE}")
  Duration duration;

  @Option(
      names = "--warmup",
      defaultValue = "5s",
      converter = DurationConverter.class,
      description =
          "run the same load untimed this long first (the generator's JVM compiles meanwhile),"
              + " then reset the counters and measure --duration; 0s skips it, default"
              + " ${DEFAULT-VALUE}")
  Duration warmup;

  @Option(
      names = "--rate",
      description = "target readings/s over all devices; default as fast as acknowledged")
  Double rate;

  @Option(names = "--qos", defaultValue = "1", description = "0 or 1, default ${DEFAULT-VALUE}")
  int qos;

  @Option(
      names = "--window",
      defaultValue = "4",
      description = "most unacknowledged publishes per connection, default ${DEFAULT-VALUE}")
  int window;

  @Option(
      names = "--event-loops",
      defaultValue = "2",
      description = "Vert.x event loops of the generator, default ${DEFAULT-VALUE}")
  int eventLoops;

  @Option(
      names = "--zone",
      defaultValue = "tam-ky",
      description = "zone of the bench devices, default ${DEFAULT-VALUE}")
  String zone;

  @Option(
      names = "--ingest-pid",
      description = "pid of the ingest node: report its CPU time (utime+stime) and memory")
  Long ingestPid;

  @Option(
      names = "--influx-pid",
      description = "pid of influxd (same machine): report its CPU time over the run")
  Long influxPid;

  @Option(names = "--report", required = true, description = "where to write the JSON report")
  Path report;

  @Override
  public Integer call() throws Exception {
    BenchOptions options;
    try {
      options =
          new BenchOptions(
              mqtt,
              coap,
              api,
              System.getenv("LANTERN_API_TOKEN"),
              influx,
              influxDb,
              devices,
              duration,
              rate,
              qos,
              window,
              eventLoops,
              zone,
              ingestPid,
              influxPid,
              tls.deviceTls(),
              warmup);
    } catch (IllegalArgumentException e) {
      System.err.println("bench ingest: " + e.getMessage());
      return 2;
    }
    BenchReport result;
    try {
      result = new IngestBench(options).run();
    } catch (IllegalArgumentException e) {
      // e.g. a device certificate missing from --tls-certs
      System.err.println("bench ingest: " + e.getMessage());
      return 2;
    } catch (CompletionException e) {
      // Provisioning refused (e.g. 401 without LANTERN_API_TOKEN): the node's answer says why.
      System.err.println("bench ingest: " + e.getCause().getMessage());
      return 1;
    }
    result.write(report);
    if (result.warmup() != null) {
      System.out.println(result.warmup().line());
    }
    System.out.println(result.summary());
    return result.missingInInflux() != null && result.missingInInflux() > 0 ? 1 : 0;
  }
}
