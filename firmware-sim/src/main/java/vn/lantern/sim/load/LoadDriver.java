package vn.lantern.sim.load;

/** The protocol side of a bench run: N devices that connect, publish and count acknowledgements. */
interface LoadDriver extends AutoCloseable {

  /** Connects every device; returns how many made it. */
  int connectAll() throws Exception;

  /** Starts publishing on {@code schedule}, or as fast as acknowledged when it is null. */
  void start(PublishSchedule schedule);

  /** Stops publishing; outstanding acknowledgements still count. */
  void stop();

  /** Requests sent and not yet answered, over all devices. */
  long inFlight() throws Exception;

  /** Acknowledged readings per device, by device index. */
  long[] ackedPerDevice() throws Exception;

  @Override
  void close();
}
