package vn.lantern.sim.device;

import java.util.concurrent.CompletableFuture;

/**
 * A device's connection to the node over one protocol. Implementations call back from their own
 * threads.
 */
public interface Uplink extends AutoCloseable {

  /** Connects; completes when the node has accepted the connection. */
  CompletableFuture<Void> connect();

  /**
   * Sends one payload and completes when the node acknowledged it (PUBACK, CoAP 2.04). Fails with
   * {@link RejectedException} when the node refused it for good, with any other exception when it
   * may be sent again.
   */
  CompletableFuture<Void> send(byte[] payload);

  /** Whether the connection is up. */
  boolean connected();

  /** Registers what to do when the connection drops on its own. */
  void onConnectionLost(Runnable action);

  /** Drops the connection, like a lost link; {@link #connect()} may follow. */
  void disconnect();

  /** Releases everything for good. Safe to call again. */
  @Override
  void close();
}
