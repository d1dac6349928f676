package vn.lantern.sim.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;
import vn.lantern.sim.scenario.Fleet;
import vn.lantern.sim.scenario.Scenario;
import vn.lantern.sim.scenario.ScenarioLoader;

/** Options shared by the {@code sim} commands: which scenario, which seed, which node API. */
final class ScenarioOptions {
  @Option(names = "--scenario", required = true, description = "scenario file (YAML)")
  Path scenario;

  @Option(
      names = "--seed",
      description = "random seed; default: the scenario's (same seed, same data and credentials)")
  Long seed;

  @Option(
      names = "--api",
      description =
          "the node's HTTP API, e.g. http://127.0.0.1:8080; requests carry"
              + " Authorization: Bearer $LANTERN_API_TOKEN when that is set")
  String api;

  Fleet fleet() {
    Scenario s = new ScenarioLoader().load(scenario);
    return new Fleet(s, seed == null ? s.seed() : seed);
  }

  static String apiToken() {
    return System.getenv("LANTERN_API_TOKEN");
  }
}
