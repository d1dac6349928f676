package vn.lantern.sim.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Memory of a running node JVM on this machine: its resident set ({@code VmRSS}) and its live heap
 * after a full collection, both through the JDK's own tools ({@code jcmd GC.run}, {@code jcmd
 * GC.heap_info}), so the node needs no agent or extra endpoint.
 *
 * <p>With a heap fixed and touched up front ({@code -Xms = -Xmx}, {@code -XX:+AlwaysPreTouch}) the
 * resident set no longer moves with the heap, so its growth is the native part (Netty buffers,
 * thread stacks, metaspace) and the live heap's growth the Java objects: together what a connection
 * costs.
 */
final class NodeMemory {
  private static final Pattern HEAP_USED =
      Pattern.compile("heap\\s+total\\s+\\d+K,\\s+used\\s+(\\d+)K");

  private final long pid;
  private final ProcStat proc;

  NodeMemory(long pid) {
    this.pid = pid;
    this.proc = new ProcStat(pid);
  }

  /** Resident and live-heap size at one moment, KiB. */
  record Sample(long residentKib, long liveHeapKib) {}

  /** Collects garbage in the node, then reads both sizes. */
  Sample sample() throws IOException, InterruptedException {
    jcmd("GC.run");
    Thread.sleep(500); // let the collector hand freed pages back before reading the resident set
    long heap = liveHeapKib(jcmd("GC.heap_info"));
    return new Sample(proc.residentKib(), heap);
  }

  /** Whether the node was started with its heap touched up front, which the figures assume. */
  boolean heapPreTouched() {
    try {
      String cmdline =
          new String(
              Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")),
              StandardCharsets.UTF_8);
      return cmdline.contains("-XX:+AlwaysPreTouch");
    } catch (IOException e) {
      return false;
    }
  }

  /** The used size of the heap line of {@code GC.heap_info}, e.g. G1's "heap total …K, used …K". */
  static long liveHeapKib(String heapInfo) {
    Matcher m = HEAP_USED.matcher(heapInfo);
    if (!m.find()) {
      throw new IllegalStateException("no heap size in jcmd GC.heap_info: " + heapInfo.strip());
    }
    return Long.parseLong(m.group(1));
  }

  private String jcmd(String command) throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(List.of("jcmd", Long.toString(pid), command))
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroy();
      throw new IllegalStateException("jcmd " + pid + " " + command + " failed: " + out.strip());
    }
    return out;
  }
}
