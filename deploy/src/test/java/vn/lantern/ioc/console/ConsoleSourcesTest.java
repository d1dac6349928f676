package vn.lantern.ioc.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The browser tests run against the console built from this tree's sources, and say so plainly when
 * Maven took an older one from the local repository.
 */
class ConsoleSourcesTest {
  @Test
  void theConsoleOnTheClasspathIsBuiltFromTheTreesSources() {
    assertEquals(ConsoleSources.inTree(), ConsoleSources.onClasspath());
  }

  @Test
  void anOlderConsoleIsNamedWithTheCommandThatBuildsTheCurrentOne() {
    AssertionError stale =
        assertThrows(AssertionError.class, () -> ConsoleSources.check("0a1b", "2c3d"));
    assertTrue(stale.getMessage().contains("local Maven repository"), stale.getMessage());
    assertTrue(stale.getMessage().contains("mvn -pl deploy -am verify"), stale.getMessage());
    assertThrows(AssertionError.class, () -> ConsoleSources.check(null, "2c3d"));
  }
}
