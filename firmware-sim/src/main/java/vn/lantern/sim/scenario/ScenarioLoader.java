package vn.lantern.sim.scenario;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads scenario files (YAML) into {@link Scenario} records. Any mistake becomes a {@link
 * ScenarioException} whose message names the file, the line and the field, e.g. {@code
 * quang-nam.yaml line 12, column 15, field devices[3].interval: 'fast' is not a duration}.
 */
public final class ScenarioLoader {
  private final ObjectMapper mapper;

  public ScenarioLoader() {
    SimpleModule durations = new SimpleModule("scenario-durations");
    durations.addDeserializer(Duration.class, new DurationDeserializer());
    mapper =
        new ObjectMapper(new YAMLFactory())
            .registerModule(durations)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_MISSING_EXTERNAL_TYPE_ID_PROPERTY);
  }

  /** Loads a scenario file. */
  public Scenario load(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new ScenarioException(file + ": no such scenario file", -1, "", e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return parse(String.valueOf(file.getFileName()), text);
  }

  /** Parses scenario text; {@code source} names it in error messages. */
  public Scenario parse(String source, String yaml) {
    try {
      Scenario scenario = mapper.readValue(yaml, Scenario.class);
      if (scenario == null) {
        throw new ScenarioException(source + ": the file is empty", 1, "", null);
      }
      return scenario;
    } catch (JsonProcessingException e) {
      throw describe(source, yaml, e);
    }
  }

  private static ScenarioException describe(String source, String yaml, JsonProcessingException e) {
    JsonLocation where = e.getLocation();
    int line = where == null ? -1 : where.getLineNr();
    int column = where == null ? -1 : where.getColumnNr();
    if (e instanceof UnrecognizedPropertyException u && line > 0) {
      // Records are built through their constructor, so Jackson buffers an unknown field and
      // reports it at the end of its object: find the key itself, the last one up to there.
      Pattern key =
          Pattern.compile("(^|[\\s{,-])(" + Pattern.quote(u.getPropertyName()) + ")\\s*:");
      String[] lines = yaml.split("\n", -1);
      for (int i = Math.min(line, lines.length) - 1; i >= 0; i--) {
        Matcher m = key.matcher(lines[i]);
        if (m.find()) {
          line = i + 1;
          column = m.start(2) + 1;
          break;
        }
      }
    }
    String field = e instanceof JsonMappingException m ? path(m) : "";
    String reason = reason(e);
    // Validation in a record's constructor names its own field ("count: …"): append it to the path.
    if (e instanceof ValueInstantiationException) {
      int colon = reason.indexOf(": ");
      if (colon > 0 && reason.substring(0, colon).matches("[A-Za-z0-9_.\\[\\]]+")) {
        String own = reason.substring(0, colon);
        field = field.isEmpty() ? own : field + "." + own;
        reason = reason.substring(colon + 2);
      }
    }
    StringBuilder message = new StringBuilder(source);
    if (line > 0) {
      message.append(" line ").append(line).append(", column ").append(column);
    }
    if (!field.isEmpty()) {
      message.append(", field ").append(field);
    }
    message.append(": ").append(reason);
    return new ScenarioException(message.toString(), line, field, e);
  }

  private static String reason(JsonProcessingException e) {
    if (e instanceof UnrecognizedPropertyException u) {
      return "unknown field '"
          + u.getPropertyName()
          + "'; known fields: "
          + u.getKnownPropertyIds();
    }
    if (e instanceof ValueInstantiationException v && v.getCause() != null) {
      return v.getCause().getMessage();
    }
    String original = e.getOriginalMessage();
    // Jackson's messages name Java types; keep the first sentence, which says what was wrong.
    int cut = original.indexOf("\n");
    return cut > 0 ? original.substring(0, cut) : original;
  }

  private static String path(JsonMappingException e) {
    StringBuilder out = new StringBuilder();
    for (JsonMappingException.Reference ref : e.getPath()) {
      if (ref.getFieldName() != null) {
        if (out.length() > 0) {
          out.append('.');
        }
        out.append(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        out.append('[').append(ref.getIndex()).append(']');
      }
    }
    return out.toString();
  }

  /** Durations such as {@code 90s} or {@code 1h30m}, failing at the token's location. */
  private static final class DurationDeserializer extends StdScalarDeserializer<Duration> {
    private static final long serialVersionUID = 1L;

    DurationDeserializer() {
      super(Duration.class);
    }

    @Override
    public Duration deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      String text = p.getValueAsString();
      try {
        return Durations.parse(text);
      } catch (IllegalArgumentException e) {
        throw JsonMappingException.from(p, e.getMessage());
      }
    }
  }
}
