package vn.lantern.sim.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import vn.lantern.common.build.VersionProvider;
import vn.lantern.sim.load.BenchOptions;
import vn.lantern.sim.load.IdleBench;
import vn.lantern.sim.load.IdleReport;

/** {@code bench idle}: resident memory per idle MQTT connection, with a JSON report. */
@Command(
    name = "idle",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Opens --devices MQTT connections that publish nothing, holds them for --hold, and reports"
          + " how much the node's resident set and live heap (after a full GC, through jcmd) grew"
          + " per connection. Start the node with -Xms equal to -Xmx and -XX:+AlwaysPreTouch."
    })
final class BenchIdleCommand implements Callable<Integer> {
  @Option(names = "--mqtt", required = true, description = "MQTT endpoint, tcp://HOST:PORT")
  String mqtt;

  @Option(
      names = "--api",
      description = "node API to register the bench devices (PUT); omit when they exist")
  String api;

  @Option(
      names = "--devices",
      defaultValue = "10000",
      description = "connections (one device each), default ${DEFAULT-VALUE}")
  int devices;

  @Option(
      names = "--hold",
      defaultValue = "60s",
      converter = DurationConverter.class,
      description = "how long the connections stay idle before measuring, default ${DEFAULT-VALUE}")
  Duration hold;

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

  @Option(names = "--ingest-pid", required = true, description = "pid of the node (same machine)")
  long ingestPid;

  @Option(names = "--report", required = true, description = "where to write the JSON report")
  Path report;

  @Override
  public Integer call() throws Exception {
    IdleBench bench;
    try {
      bench =
          new IdleBench(
              new BenchOptions(
                  mqtt,
                  null,
                  api,
                  System.getenv("LANTERN_API_TOKEN"),
                  null,
                  null,
                  devices,
                  hold,
                  null,
                  1,
                  1,
                  eventLoops,
                  zone,
                  ingestPid,
                  null),
              hold);
    } catch (IllegalArgumentException e) {
      System.err.println("bench idle: " + e.getMessage());
      return 2;
    }
    IdleReport result;
    try {
      result = bench.run();
    } catch (CompletionException e) {
      System.err.println("bench idle: " + e.getCause().getMessage());
      return 1;
    }
    result.write(report);
    System.out.println(result.summary());
    return result.connected() == devices ? 0 : 1;
  }
}
