package vn.lantern.sim.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import vn.lantern.common.build.VersionProvider;
import vn.lantern.sim.run.ApiClient;
import vn.lantern.sim.scenario.Fleet;
import vn.lantern.sim.scenario.ScenarioException;

/** {@code sim provision}: registers a scenario's devices (idempotent: PUT per device). */
@Command(
    name = "provision",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description =
        "Registers the scenario's devices through the node's /api/v1/devices (PUT, idempotent).")
final class ProvisionCommand implements Callable<Integer> {
  @Mixin ScenarioOptions scenario;

  @Override
  public Integer call() throws Exception {
    if (scenario.api == null) {
      System.err.println("sim provision: --api is required");
      return 2;
    }
    Fleet fleet;
    try {
      fleet = scenario.fleet();
    } catch (ScenarioException e) {
      System.err.println(e.getMessage());
      return 2;
    }
    return provision(fleet, scenario.api) ? 0 : 1;
  }

  /** Provisions and prints the outcome; false when some device was refused. */
  static boolean provision(Fleet fleet, String api) throws InterruptedException {
    ApiClient.Provisioned result =
        new ApiClient(api, ScenarioOptions.apiToken()).provision(fleet.devices());
    System.out.printf(
        "sim provision: scenario=%s devices=%d created=%d updated=%d failed=%d%n",
        fleet.scenario().name(),
        fleet.devices().size(),
        result.created(),
        result.updated(),
        result.failures().size());
    result.failures().stream().limit(10).forEach(f -> System.err.println("  " + f));
    return result.failures().isEmpty();
  }
}
