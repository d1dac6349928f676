package vn.lantern.ingest.registry;

/**
 * Bounds on device credential checks (config section {@code deviceAuth}).
 *
 * @param threads threads of the pool that runs PBKDF2 for devices, and nothing else
 * @param maxPending checks that may wait for that pool; beyond, a CONNECT is refused at once
 * @param maxFailuresPerId failed checks one device id may cause per window, from any address
 * @param maxFailuresPerAddress failed checks one client address may cause per window, for any id
 * @param failureWindowSeconds the window of both limits, and how long a failed (id, secret) pair is
 *     remembered so that repeating it costs no hashing
 * @param maxTrackedKeys most ids, addresses and failed pairs each table keeps (oldest evicted)
 */
public record DeviceAuthSettings(
    int threads,
    int maxPending,
    int maxFailuresPerId,
    int maxFailuresPerAddress,
    int failureWindowSeconds,
    int maxTrackedKeys) {

  /** Fails at startup on a setting that cannot work. */
  public DeviceAuthSettings {
    if (threads < 1
        || maxPending < 1
        || maxFailuresPerId < 1
        || maxFailuresPerAddress < 1
        || failureWindowSeconds < 1
        || maxTrackedKeys < 1) {
      throw new IllegalArgumentException("every deviceAuth setting must be positive");
    }
  }

  /** 2 threads, 1,000 waiting, 10 failures per id and 30 per address a minute, 100,000 keys. */
  public static DeviceAuthSettings defaults() {
    return new DeviceAuthSettings(2, 1_000, 10, 30, 60, 100_000);
  }
}
