package vn.lantern.ingest.pipeline;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers which (device, cause) pairs were already logged, so a misbehaving device sending the
 * same bad message every second produces one log line, not thousands. Metrics still count every
 * occurrence. Forgets everything when full and keeps only a clipped form of each key, which bounds
 * memory under an attack with random or huge ids.
 */
public final class OncePerKeyLog {
  private static final int MAX_KEYS = 10_000;
  private final Set<String> seen = ConcurrentHashMap.newKeySet();

  /** True the first time the key is seen (since the last reset). */
  public boolean first(String device, String cause) {
    if (seen.size() >= MAX_KEYS) {
      seen.clear();
    }
    return seen.add(LogBudget.clip(device) + '\u0000' + cause);
  }
}
