package vn.lantern.sim.cli;

import java.time.Duration;
import picocli.CommandLine;
import vn.lantern.sim.scenario.Durations;

/** Reads {@code 30s}, {@code 5m}, {@code 1h30m} options. */
final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
  @Override
  public Duration convert(String value) {
    try {
      return Durations.parse(value);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.TypeConversionException(e.getMessage());
    }
  }
}
