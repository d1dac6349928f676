package vn.lantern.deploy.testing;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A parsed Prometheus text exposition, for reading counters in tests. */
public final class PrometheusText {
  private static final Pattern SAMPLE =
      Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})?\\s+(\\S+)(?:\\s+\\d+)?$");
  private static final Pattern LABEL =
      Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

  private final String text;

  public PrometheusText(String text) {
    this.text = text;
  }

  public String text() {
    return text;
  }

  /**
   * The sum of the samples named {@code name} whose labels include {@code labels} (given as
   * name/value pairs); 0 when there is none.
   */
  public double value(String name, String... labels) {
    Map<String, String> wanted = new LinkedHashMap<>();
    for (int i = 0; i < labels.length; i += 2) {
      wanted.put(labels[i], labels[i + 1]);
    }
    double sum = 0;
    for (String line : text.split("\n")) {
      Matcher sample = SAMPLE.matcher(line.strip());
      if (line.startsWith("#") || !sample.matches() || !sample.group(1).equals(name)) {
        continue;
      }
      Map<String, String> actual = new LinkedHashMap<>();
      if (sample.group(2) != null) {
        Matcher label = LABEL.matcher(sample.group(2));
        while (label.find()) {
          actual.put(label.group(1), label.group(2));
        }
      }
      if (actual.entrySet().containsAll(wanted.entrySet())) {
        sum += Double.parseDouble(sample.group(3));
      }
    }
    return sum;
  }
}
