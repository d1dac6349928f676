package vn.lantern.rules.regulation;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The regulation packs in force on this node: the bundled ones, each replaced by a pack of the same
 * id in {@code <dataDir>/regulations/*.json} (or added to by a new id), so a changed limit or a new
 * station needs no release. Loaded at start; a pack that cannot be used stops the start with a
 * message naming its file and field.
 */
public final class Regulations {
  private static final Logger LOG = LoggerFactory.getLogger(Regulations.class);
  private static final String BUNDLED = "/regulations/";

  /** The directory under the data directory whose packs override the bundled ones. */
  public static final String DIRECTORY = "regulations";

  private final Map<String, RegulationPack> packs;

  private Regulations(Map<String, RegulationPack> packs) {
    this.packs = packs;
  }

  /** The bundled packs, overridden by those in {@code <dataDir>/regulations}. Blocking. */
  public static Regulations load(Path dataDir) {
    Map<String, RegulationPack> packs = new LinkedHashMap<>();
    for (RegulationPack pack : bundled()) {
      packs.put(pack.id(), pack);
    }
    Path directory = dataDir.resolve(DIRECTORY);
    if (Files.isDirectory(directory)) {
      try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*.json")) {
        List<Path> sorted = new ArrayList<>();
        files.forEach(sorted::add);
        sorted.sort(null);
        for (Path file : sorted) {
          RegulationPack pack =
              parse(Files.readString(file), file.getFileName().toString(), "data directory");
          RegulationPack replaced = packs.put(pack.id(), pack);
          LOG.info(
              "event=regulation_pack_override pack={} version={} replaces_version={}",
              pack.id(),
              pack.version(),
              replaced == null ? "none" : replaced.version());
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return new Regulations(packs);
  }

  /** Only the bundled packs. */
  public static List<RegulationPack> bundled() {
    List<RegulationPack> packs = new ArrayList<>();
    JsonArray index = new JsonArray(resource("index.json"));
    for (Object name : index) {
      packs.add(parse(resource(name + ".json"), name + ".json", "bundled"));
    }
    return packs;
  }

  private static RegulationPack parse(String text, String file, String origin) {
    try {
      return RegulationPack.parse(new JsonObject(text), file, origin);
    } catch (DecodeException e) {
      throw new InvalidPackException(file, "(file)", "is not JSON: " + e.getMessage());
    }
  }

  private static String resource(String name) {
    try (InputStream in = Regulations.class.getResourceAsStream(BUNDLED + name)) {
      if (in == null) {
        throw new IllegalStateException("bundled regulation pack missing: " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every pack, bundled order first. */
  public Collection<RegulationPack> packs() {
    return packs.values();
  }

  /** A pack by id. */
  public Optional<RegulationPack> pack(String id) {
    return Optional.ofNullable(packs.get(id));
  }

  /** The wastewater outlets of every pack, with their Kq and Kf. */
  public List<WastewaterSite> wastewaterSites() {
    List<WastewaterSite> sites = new ArrayList<>();
    packs.values().forEach(p -> sites.addAll(p.sites()));
    return sites;
  }

  /** The river stations of every pack. */
  public List<FloodStation> floodStations() {
    List<FloodStation> stations = new ArrayList<>();
    packs.values().forEach(p -> stations.addAll(p.stations()));
    return stations;
  }
}
