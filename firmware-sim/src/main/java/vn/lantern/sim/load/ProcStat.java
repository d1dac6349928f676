package vn.lantern.sim.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time and resident memory of another process on Linux, from {@code /proc/<pid>/stat} and
 * {@code /proc/<pid>/status}: user + system CPU holds still when the machine is noisy, so the
 * benchmark reports throughput per CPU-second of the ingest process.
 */
public final class ProcStat {
  private final long pid;
  private final double ticksPerSecond;

  public ProcStat(long pid) {
    this.pid = pid;
    this.ticksPerSecond = clockTicks();
    if (!Files.exists(Path.of("/proc", Long.toString(pid), "stat"))) {
      throw new IllegalArgumentException("no process " + pid + " (is it running on this machine?)");
    }
  }

  /** utime + stime of the process, in seconds. */
  public double cpuSeconds() {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      // The command name (field 2) may contain spaces and parentheses: fields count from the last
      // ')'.
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
      long utime = Long.parseLong(f[11]);
      long stime = Long.parseLong(f[12]);
      return (utime + stime) / ticksPerSecond;
    } catch (IOException e) {
      throw new IllegalStateException("cannot read /proc/" + pid + "/stat: " + e.getMessage(), e);
    }
  }

  /** Resident set size (VmRSS) in KiB. */
  public long residentKib() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
      return -1;
    } catch (IOException e) {
      throw new IllegalStateException("cannot read /proc/" + pid + "/status: " + e.getMessage(), e);
    }
  }

  private static double clockTicks() {
    try {
      Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes()).trim();
      p.waitFor();
      return Double.parseDouble(out);
    } catch (IOException | NumberFormatException e) {
      return 100; // USER_HZ on every mainstream Linux build
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 100;
    }
  }
}
