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
}
