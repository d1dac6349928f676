package vn.lantern.gateway.uplink;

import java.util.function.Consumer;

/**
 * One protocol's way to an ingest node. The {@link Uplink} owns ordering, windows, pacing, retries
 * and the queue; a transport only connects and turns a node's answer into a {@link Delivery}.
 */
public interface UplinkTransport extends AutoCloseable {

  /** Connects (or prepares to send), blocking up to the configured timeout. */
  void connect() throws Exception;

  /** Whether messages can be sent now. */
  boolean isConnected();

  /**
   * Sends one device's SenML pack; {@code done} is called at most once, from any thread. The uplink
   * also applies its own acknowledgement timeout.
   */
  void send(String deviceId, byte[] senmlJson, Consumer<Delivery> done);

  /** Drops the connection; {@link #connect()} may be called again. */
  @Override
  void close();
}
