package vn.lantern.sim.cli;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import vn.lantern.common.build.VersionProvider;
import vn.lantern.sim.device.DeviceSettings;
import vn.lantern.sim.device.SimClock;
import vn.lantern.sim.run.FleetRunner;
import vn.lantern.sim.run.RunResult;
import vn.lantern.sim.run.RunSettings;
import vn.lantern.sim.scenario.Fleet;
import vn.lantern.sim.scenario.ScenarioException;
import vn.lantern.sim.verify.DrillCheck;
import vn.lantern.sim.verify.InfluxCheck;

/** {@code sim run}: runs a scenario's fleet against a node. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Runs the scenario's simulated devices against a node, then prints how many readings were"
          + " sent and acknowledged.",
      "Time: real time (--speed 1) starts now; accelerated (--speed 60) starts in the past so the"
          + " run ends about now (the node accepts timestamps from 7 days back to 5 minutes ahead);"
          + " --backfill FROM..TO sends a past period as fast as it is acknowledged."
    })
final class RunCommand implements Callable<Integer> {
  private static final Duration MAX_AGE = Duration.ofDays(7).minusHours(1);

  @Mixin ScenarioOptions scenario;

  @Option(
      names = "--mqtt",
      description = "MQTT endpoint, e.g. tcp://127.0.0.1:1883 or ssl://127.0.0.1:8883")
  String mqtt;

  @Option(names = "--coap", description = "CoAP/DTLS endpoint, e.g. coaps://127.0.0.1:5684")
  String coap;

  @Mixin TlsOptions tls;

  @Option(
      names = "--duration",
      defaultValue = "30s",
      converter = DurationConverter.class,
      description = "how long to run (wall clock), default ${DEFAULT-VALUE}")
  Duration duration;

  @Option(
      names = "--speed",
      defaultValue = "1",
      description = "scenario seconds per wall second, default ${DEFAULT-VALUE}")
  double speed;

  @Option(names = "--start", description = "scenario start (ISO-8601 instant); default: see above")
  Instant start;

  @Option(
      names = "--backfill",
      description = "FROM..TO (ISO-8601 instants): send this past period as fast as acknowledged")
  String backfill;

  @Option(
      names = "--provision",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description = "register the devices through --api first; --no-provision skips it")
  boolean provision;

  @Option(
      names = "--influx",
      description = "InfluxDB URL: check afterwards that every acknowledged reading is stored")
  String influx;

  @Option(names = "--influx-db", defaultValue = "lantern", description = "InfluxDB database")
  String influxDb;

  @Option(
      names = "--settle",
      defaultValue = "5s",
      converter = DurationConverter.class,
      description =
          "wait this long after the run before checking the drill's alert and KPI expectations"
              + " through --api, default ${DEFAULT-VALUE}")
  Duration settle;

  @Option(
      names = "--queue",
      defaultValue = "1000",
      description = "readings a device keeps while disconnected, default ${DEFAULT-VALUE}")
  int queue;

  @Override
  public Integer call() throws Exception {
    Fleet fleet;
    try {
      fleet = scenario.fleet();
    } catch (ScenarioException e) {
      System.err.println(e.getMessage());
      return 2;
    }
    SimClock clock;
    Duration wall = duration;
    try {
      clock = clock();
    } catch (IllegalArgumentException e) {
      System.err.println("sim run: " + e.getMessage());
      return 2;
    }
    if (provision && scenario.api != null) {
      if (!ProvisionCommand.provision(fleet, scenario.api)) {
        return 1;
      }
      clock = clock(); // scenario time starts when the devices do, not before provisioning
    }
    DeviceSettings defaults = DeviceSettings.defaults();
    RunSettings settings =
        new RunSettings(
            mqtt,
            coap,
            clock,
            wall,
            Duration.ofSeconds(15),
            new DeviceSettings(queue, defaults.window(), defaults.ackTimeout(), defaults.backoff()),
            tls.deviceTls());
    RunResult result;
    try {
      result = new FleetRunner(fleet, settings).run();
    } catch (IllegalArgumentException e) {
      System.err.println("sim run: " + e.getMessage());
      return 2;
    }
    System.out.println(result.summary());
    int code = 0;
    if (influx != null) {
      try (InfluxCheck check = new InfluxCheck(influx, influxDb)) {
        long missing = check.missing(result.ledger());
        System.out.printf(
            "sim run: acknowledged=%d missing_in_influx=%d%n", result.ledger().size(), missing);
        if (missing > 0) {
          code = 1;
        }
      }
    }
    reportExpectations(fleet, clock);
    return code;
  }

  /**
   * Prints which of the drill's alert and KPI expectations held. A drill is a training aid, so a
   * failed expectation is reported, not turned into an exit code: the run itself succeeded.
   */
  private void reportExpectations(Fleet fleet, SimClock clock) throws InterruptedException {
    boolean any =
        fleet.scenario().expect().stream()
            .anyMatch(e -> e.kind() != vn.lantern.sim.scenario.Expectation.Kind.CROSSING);
    if (!any) {
      return;
    }
    if (scenario.api == null) {
      System.out.println("sim run: expectations not checked: give --api");
      return;
    }
    Thread.sleep(settle.toMillis());
    try {
      List<DrillCheck.Result> results =
          new DrillCheck(scenario.api, ScenarioOptions.apiToken(), Duration.ofSeconds(2))
              .check(fleet.scenario(), clock);
      long held = results.stream().filter(DrillCheck.Result::held).count();
      results.forEach(r -> System.out.println("sim run: expect " + r.line()));
      System.out.printf("sim run: expectations held=%d failed=%d%n", held, results.size() - held);
    } catch (IOException e) {
      System.out.println("sim run: expectations not checked: " + e.getMessage());
    }
  }

  SimClock clock() {
    Instant now = Instant.now();
    if (backfill != null) {
      String[] parts = backfill.split("\\.\\.", 2);
      if (parts.length != 2) {
        throw new IllegalArgumentException(
            "--backfill must be FROM..TO, e.g. " + now.minus(Duration.ofDays(1)) + ".." + now);
      }
      Instant from = Instant.parse(parts[0].trim());
      Instant to = Instant.parse(parts[1].trim());
      checkAge(from, now);
      if (to.isAfter(now)) {
        throw new IllegalArgumentException("--backfill must end in the past");
      }
      return SimClock.backfill(from, to);
    }
    Instant begin = start;
    if (begin == null) {
      begin = speed == 1 ? now : now.minusMillis((long) (duration.toMillis() * speed));
    }
    checkAge(begin, now);
    // Scenario time runs at `speed` against the wall clock: its lead over the wall clock is
    // largest at the start or at the end of the run.
    Instant scenarioEnd = begin.plusMillis((long) (duration.toMillis() * speed));
    Instant wallEnd = now.plus(duration);
    if (begin.isAfter(now.plusSeconds(240)) || scenarioEnd.isAfter(wallEnd.plusSeconds(240))) {
      throw new IllegalArgumentException(
          "the run would send timestamps more than 5 minutes ahead, which the node refuses; start"
              + " earlier (--start) or run shorter or slower");
    }
    return SimClock.live(begin, speed);
  }

  private static void checkAge(Instant from, Instant now) {
    if (from.isBefore(now.minus(MAX_AGE))) {
      throw new IllegalArgumentException(
          "scenario time would start "
              + Duration.between(from, now).toHours()
              + " h ago; the node refuses readings older than 7 days");
    }
  }
}
