package vn.lantern.deploy;

import java.time.Duration;

/** A started node of any role, as the command line holds it until shutdown. */
public interface RunningNode {

  /**
   * Stops accepting, flushes pending work and closes everything, waiting up to {@code timeout}.
   * Call from a thread that is not a Vert.x event loop.
   */
  void close(Duration timeout) throws Exception;
}
