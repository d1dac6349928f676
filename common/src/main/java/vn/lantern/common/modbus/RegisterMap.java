package vn.lantern.common.modbus;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import vn.lantern.common.telemetry.MetricName;

/**
 * A device model's register map, loaded from YAML: either a map shipped with the gateway (by name,
 * e.g. {@code wastewater-analyser}) or a file path.
 *
 * @param name model name
 * @param table the register table read
 * @param byteOrder default byte order of registers
 * @param wordOrder default word order of 32-bit values
 * @param registers the values to read
 */
public record RegisterMap(
    String name,
    RegisterTable table,
    Endianness byteOrder,
    Endianness wordOrder,
    List<RegisterSpec> registers) {

  /** Names of the maps shipped in the common jar (served by the gateway and the simulator). */
  public static final List<String> SHIPPED = List.of("wastewater-analyser", "energy-meter");

  private static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory()).enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  public RegisterMap {
    table = table == null ? RegisterTable.HOLDING : table;
    byteOrder = byteOrder == null ? Endianness.BIG : byteOrder;
    wordOrder = wordOrder == null ? Endianness.BIG : wordOrder;
    if (registers == null || registers.isEmpty()) {
      throw new IllegalArgumentException("register map " + name + " has no registers");
    }
    for (RegisterSpec spec : registers) {
      if (spec.metric() == null || !MetricName.isWellFormed(spec.metric())) {
        throw new IllegalArgumentException(
            "register map " + name + ": bad metric name '" + spec.metric() + "'");
      }
      if (spec.type() == null
          || spec.address() < 0
          || spec.address() + spec.type().words() > 65536) {
        throw new IllegalArgumentException(
            "register map " + name + ": metric " + spec.metric() + " needs a type and an address");
      }
    }
    registers = List.copyOf(registers);
  }

  /** Byte order of one register, falling back to the map default. */
  public Endianness byteOrderOf(RegisterSpec spec) {
    return spec.byteOrder() == null ? byteOrder : spec.byteOrder();
  }

  /** Word order of one register, falling back to the map default. */
  public Endianness wordOrderOf(RegisterSpec spec) {
    return spec.wordOrder() == null ? wordOrder : spec.wordOrder();
  }

  /** Loads a shipped map by name, or else a YAML file at that path. */
  public static RegisterMap load(String nameOrPath) {
    String resource = "maps/" + nameOrPath + ".yaml";
    try (InputStream in = RegisterMap.class.getResourceAsStream(resource)) {
      if (in != null) {
        return YAML.readValue(in, RegisterMap.class);
      }
      Path file = Path.of(nameOrPath);
      if (!Files.isRegularFile(file)) {
        throw new IllegalArgumentException(
            "no register map '" + nameOrPath + "': not one of " + SHIPPED + " nor a file");
      }
      return YAML.readValue(file.toFile(), RegisterMap.class);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read register map " + nameOrPath, e);
    }
  }
}
