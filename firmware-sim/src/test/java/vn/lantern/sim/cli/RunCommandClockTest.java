package vn.lantern.sim.cli;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class RunCommandClockTest {

  private static RunCommand parse(String... args) {
    RunCommand command = new RunCommand();
    new CommandLine(command).parseArgs(args);
    return command;
  }

  @Test
  void aLongRealTimeRunIsAllowed() {
    // Real time never runs ahead of the wall clock, however long the run (the demo runs 24 h).
    assertDoesNotThrow(() -> parse("--scenario", "x.yaml", "--duration", "24h").clock());
  }

  @Test
  void anAcceleratedRunEndingInTheFutureIsRefused() {
    String start = java.time.Instant.now().toString();
    assertThrows(
        IllegalArgumentException.class,
        () ->
            parse("--scenario", "x.yaml", "--duration", "1h", "--speed", "60", "--start", start)
                .clock());
  }

  @Test
  void anAcceleratedRunEndingNowIsAllowed() {
    assertDoesNotThrow(
        () -> parse("--scenario", "x.yaml", "--duration", "30s", "--speed", "60").clock());
  }
}
