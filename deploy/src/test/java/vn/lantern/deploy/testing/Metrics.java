package vn.lantern.deploy.testing;

import java.time.Duration;

/** Reads a node's Prometheus scrape. */
public final class Metrics {
  private Metrics() {}

  /**
   * The sum of the samples named {@code name} whose labels contain {@code labels} (e.g. {@code
   * reason="late"}; empty for all).
   */
  public static double value(String scrape, String name, String labels) {
    double sum = 0;
    for (String line : scrape.lines().toList()) {
      if (line.startsWith("#")) {
        continue;
      }
      int space = line.lastIndexOf(' ');
      String series = space < 0 ? line : line.substring(0, space);
      String metric = series.contains("{") ? series.substring(0, series.indexOf('{')) : series;
      if (metric.equals(name) && series.contains(labels)) {
        sum += Double.parseDouble(line.substring(space + 1));
      }
    }
    return sum;
  }

  /**
   * Waits until the metric reaches {@code atLeast}; fails with its last value after {@code wait}.
   */
  public static void await(TestNode node, String name, double atLeast, Duration wait)
      throws InterruptedException {
    long deadline = System.nanoTime() + wait.toNanos();
    double last;
    while ((last = value(node.http("GET", "/metrics", null).body(), name, "")) < atLeast) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(name + " stayed at " + last + ", expected at least " + atLeast);
      }
      Thread.sleep(100);
    }
  }
}
