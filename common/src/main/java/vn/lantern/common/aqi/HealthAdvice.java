package vn.lantern.common.aqi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Health advice for each VN_AQI band, for normal and for sensitive people, in Vietnamese and
 * English. The texts are data ({@code health-advice.json} beside this class), with the Decision's
 * citation and whether they are paraphrased rather than the official wording.
 */
public final class HealthAdvice {
  private static final String RESOURCE = "health-advice.json";
  private static final Map<AqiBand, Map<String, Object>> BY_BAND = load();

  private HealthAdvice() {}

  /**
   * The advice of a band as the API shows it: {@code normal} and {@code sensitive}, each {@code
   * {vi, en}}, with {@code paraphrased} and {@code citation}.
   */
  public static Map<String, Object> of(AqiBand band) {
    return BY_BAND.get(band);
  }

  private static Map<AqiBand, Map<String, Object>> load() {
    try (InputStream in = HealthAdvice.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the classpath");
      }
      JsonNode root = new ObjectMapper().readTree(in);
      Map<AqiBand, Map<String, Object>> byBand = new EnumMap<>(AqiBand.class);
      for (AqiBand band : AqiBand.values()) {
        JsonNode advice = root.path("bands").path(band.id());
        Map<String, Object> item = new LinkedHashMap<>();
        for (String group : new String[] {"normal", "sensitive"}) {
          JsonNode text = advice.path(group);
          if (!text.path("vi").isTextual() || !text.path("en").isTextual()) {
            throw new IllegalStateException(
                RESOURCE + ": band " + band.id() + " lacks " + group + " advice in vi and en");
          }
          item.put(group, Map.of("vi", text.get("vi").asText(), "en", text.get("en").asText()));
        }
        item.put("paraphrased", root.path("paraphrased").asBoolean(true));
        item.put("citation", root.path("citation").asText());
        byBand.put(band, Map.copyOf(item));
      }
      return byBand;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
