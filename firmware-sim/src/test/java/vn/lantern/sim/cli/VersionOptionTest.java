package vn.lantern.sim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import vn.lantern.common.build.BuildInfo;

/** Every command and subcommand of the simulator jar answers {@code --version} with the build. */
class VersionOptionTest {

  @Test
  void everyCommandPrintsTheBuildVersionAndCommit() {
    List<CommandLine> commands = new ArrayList<>();
    collect(LanternSim.commandLine(), commands);
    assertEquals(8, commands.size(), "lantern, sim, bench and their subcommands (bench idle too)");
    for (CommandLine command : commands) {
      StringWriter out = new StringWriter();
      command.setOut(new PrintWriter(out));
      command.printVersionHelp(command.getOut());
      assertEquals(
          BuildInfo.current().describe(),
          out.toString().strip(),
          command.getCommandSpec().qualifiedName());
    }
  }

  @Test
  void versionOptionWorksOnASubcommand() {
    StringWriter out = new StringWriter();
    CommandLine cli = LanternSim.commandLine();
    cli.setOut(new PrintWriter(out));
    assertEquals(0, cli.execute("sim", "run", "--version"));
    assertEquals(BuildInfo.current().describe(), out.toString().strip());
  }

  private static void collect(CommandLine command, List<CommandLine> into) {
    into.add(command);
    command.getSubcommands().values().stream().distinct().forEach(sub -> collect(sub, into));
  }
}
