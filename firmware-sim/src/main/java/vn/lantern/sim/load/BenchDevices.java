package vn.lantern.sim.load;

/** The load generator's devices: {@code bench-00001} … with type {@code bench}. */
final class BenchDevices {
  /** Device type and InfluxDB measurement of bench readings, kept apart from real sensor data. */
  static final String TYPE = "bench";

  private BenchDevices() {}

  static String id(int index) {
    return String.format("bench-%05d", index + 1);
  }

  // A load-test credential, reproducible so repeated runs need not re-register; never a real one.
  static String secret(int index) {
    return "bench-secret-" + id(index);
  }

  // The DTLS pre-shared key of a CoAP bench device (printable ASCII, its bytes are the key).
  static String psk(int index) {
    return "bench-psk-" + id(index);
  }
}
