package vn.lantern.sim.load;

/** The protocol side of a bench run: N devices that connect, publish and count acknowledgements. */
interface LoadDriver extends AutoCloseable {

  /** Connects every device; returns how many made it. */
  int connectAll() throws Exception;

  /** Starts publishing: every {@code periodMs} per device, or as fast as acknowledged when 0. */
  void start(long periodMs);

  /** Stops publishing; outstanding acknowledgements still count. */
  void stop();

  /** Requests sent and not yet answered, over all devices. */
  long inFlight() throws Exception;

  /** Acknowledged readings per device, by device index. */
  long[] ackedPerDevice() throws Exception;

  @Override
  void close();
}
