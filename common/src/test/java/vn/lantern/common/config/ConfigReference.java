package vn.lantern.common.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A configuration reference in Markdown, read as tables under {@code ## } headings, checked against
 * config records: every dotted key of a record is in a table row of its section, every {@code
 * LANTERN_*} binding is named in the row of its key, and no row names a key the record lacks. A key
 * cell may hold several keys ({@code `a`, `b`}) or a prefix ({@code `influx.*`}) covering a nested
 * record documented elsewhere.
 */
public final class ConfigReference {

  private static final Pattern CODE = Pattern.compile("`([^`]+)`");
  private static final Pattern VARIABLE = Pattern.compile("\\bLANTERN_[A-Z0-9_]*[A-Z0-9]\\b");

  private final List<Row> rows;
  private final Set<String> variables;

  private ConfigReference(List<Row> rows, Set<String> variables) {
    this.rows = rows;
    this.variables = variables;
  }

  /** One table row: its section heading, the keys in its first cell, the variables it names. */
  private record Row(String section, List<String> keys, Set<String> variables) {}

  /** Reads a Markdown file. */
  public static ConfigReference read(Path markdown) {
    try {
      return parse(Files.readAllLines(markdown));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static ConfigReference parse(List<String> lines) {
    List<Row> rows = new ArrayList<>();
    Set<String> all = new TreeSet<>();
    String section = "";
    for (String line : lines) {
      all.addAll(variablesIn(line));
      if (line.startsWith("## ")) {
        section = line.substring(3).trim();
      } else if (line.startsWith("|")) {
        String firstCell = line.substring(1).split("\\|", 2)[0];
        List<String> keys = new ArrayList<>();
        Matcher code = CODE.matcher(firstCell);
        while (code.find()) {
          String key = code.group(1).replace("[]", "");
          if (!key.startsWith("LANTERN_")) {
            keys.add(key);
          }
        }
        rows.add(new Row(section, keys, variablesIn(line)));
      }
    }
    return new ConfigReference(rows, all);
  }

  private static Set<String> variablesIn(String text) {
    Set<String> found = new TreeSet<>();
    Matcher m = VARIABLE.matcher(text);
    while (m.find()) {
      found.add(m.group());
    }
    return found;
  }

  /** Every {@code LANTERN_*} variable the file names anywhere. */
  public Set<String> variables() {
    return variables;
  }

  /**
   * What the section whose heading starts with {@code sectionPrefix} lacks or gets wrong for a
   * config: one line per problem, empty when the section documents it fully.
   *
   * @param defaults the config's default instance (its record components are walked recursively)
   * @param env the config's environment bindings, variable to dotted key
   */
  public List<String> problems(String sectionPrefix, Record defaults, Map<String, String> env) {
    List<Row> section = rows.stream().filter(r -> r.section().startsWith(sectionPrefix)).toList();
    List<String> problems = new ArrayList<>();
    if (section.isEmpty()) {
      problems.add("no table under a heading starting with '" + sectionPrefix + "'");
      return problems;
    }
    Set<String> keys = keys(defaults);
    for (String key : keys) {
      if (section.stream().noneMatch(row -> covers(row, key))) {
        problems.add(sectionPrefix + ": key " + key + " is not documented");
      }
    }
    env.forEach(
        (variable, key) -> {
          if (section.stream()
              .noneMatch(row -> covers(row, key) && row.variables().contains(variable))) {
            problems.add(sectionPrefix + ": " + variable + " is not documented with key " + key);
          }
        });
    for (Row row : section) {
      for (String documented : row.keys()) {
        if (!isKeyOrPrefix(documented, keys)) {
          problems.add(sectionPrefix + ": documented key " + documented + " is not in the config");
        }
      }
    }
    return problems;
  }

  private static boolean covers(Row row, String key) {
    return row.keys().stream()
        .anyMatch(
            documented ->
                documented.equals(key)
                    || documented.endsWith(".*")
                        && key.startsWith(documented.substring(0, documented.length() - 1)));
  }

  private static boolean isKeyOrPrefix(String documented, Set<String> keys) {
    if (documented.endsWith(".*")) {
      String prefix = documented.substring(0, documented.length() - 1);
      return keys.stream().anyMatch(k -> k.startsWith(prefix));
    }
    return keys.contains(documented);
  }

  /**
   * The dotted keys of a config record: nested records are walked, anything else (scalars, maps,
   * lists) is one key.
   */
  public static Set<String> keys(Record config) {
    Set<String> keys = new TreeSet<>();
    collect("", config.getClass(), keys);
    return keys;
  }

  private static void collect(String prefix, Class<?> type, Set<String> keys) {
    for (RecordComponent component : type.getRecordComponents()) {
      String key = prefix + component.getName();
      if (component.getType().isRecord()) {
        collect(key + ".", component.getType(), keys);
      } else {
        keys.add(key);
      }
    }
  }
}
