package vn.lantern.sim.load;

import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Recorder;

/** Counters and the publish→acknowledgement latency (µs) of a bench run, shared by connections. */
final class LoadStats {
  final LongAdder sent = new LongAdder();
  final LongAdder acked = new LongAdder();
  final LongAdder errors = new LongAdder();
  final LongAdder behind = new LongAdder();
  final LongAdder disconnects = new LongAdder();
  final Recorder latency = new Recorder(3);
  // why the latest request failed, for the summary; null while none has
  volatile String lastError;

  /** The counters now. */
  Counts counts() {
    return new Counts(sent.sum(), acked.sum(), errors.sum(), behind.sum(), disconnects.sum());
  }

  /** The counters at one moment, or their growth over an interval. */
  record Counts(long sent, long acked, long errors, long behind, long disconnects) {
    /** What was counted since {@code earlier}. */
    Counts since(Counts earlier) {
      return new Counts(
          sent - earlier.sent,
          acked - earlier.acked,
          errors - earlier.errors,
          behind - earlier.behind,
          disconnects - earlier.disconnects);
    }
  }
}
