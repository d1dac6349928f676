package vn.lantern.sim.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import vn.lantern.common.build.VersionProvider;
import vn.lantern.sim.modbus.ModbusCommand;

/**
 * Entry point of the simulator jar: {@code sim provision}, {@code sim run} and {@code bench
 * ingest}, started by {@code ./lantern sim …} and {@code ./lantern bench …}.
 */
@Command(
    name = "lantern",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    subcommands = {LanternSim.Sim.class, LanternSim.Bench.class},
    description = "Lantern firmware simulator and load generator.")
public final class LanternSim {

  /** {@code sim}: scenario fleets. */
  @Command(
      name = "sim",
      mixinStandardHelpOptions = true,
      versionProvider = VersionProvider.class,
      subcommands = {ProvisionCommand.class, RunCommand.class, ModbusCommand.class},
      description = "Simulated Quang Nam sensor fleets and drills.")
  static final class Sim {}

  /** {@code bench}: load generation. */
  @Command(
      name = "bench",
      mixinStandardHelpOptions = true,
      versionProvider = VersionProvider.class,
      subcommands = {BenchIngestCommand.class, BenchIdleCommand.class},
      description = "Benchmarks of a running node.")
  static final class Bench {}

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The command line with its subcommands, for tests and {@link #main}. */
  public static CommandLine commandLine() {
    return new CommandLine(new LanternSim()).setCaseInsensitiveEnumValuesAllowed(true);
  }
}
