package vn.lantern.gateway.modbus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.lantern.common.modbus.RegisterDecoder;
import vn.lantern.common.modbus.RegisterMap;
import vn.lantern.common.modbus.RegisterSpec;
import vn.lantern.common.modbus.RegisterType;
import vn.lantern.gateway.config.GatewayConfig.ModbusDevice;
import vn.lantern.gateway.store.NewReading;

/**
 * Every register type in every byte and word order, read by the gateway's poller from a real Modbus
 * TCP slave whose registers hold hand-written words (ABCD, CDAB, BADC, DCBA layouts).
 */
class RegisterDecodingTest {

  /** metric → (map line, raw words, expected value). */
  private record Case(String yaml, int[] words, double expected) {}

  @Test
  void decodesEveryTypeByteAndWordOrder(@TempDir Path dir) throws Exception {
    Map<String, Case> cases = new LinkedHashMap<>();
    // int16 0xFF85 = -123
    cases.put("i16_be", new Case("type: int16", new int[] {0xFF85}, -123));
    cases.put("i16_le", new Case("type: int16, byteOrder: little", new int[] {0x85FF}, -123));
    cases.put("i16_scaled", new Case("type: int16, scale: 0.1", new int[] {0xFF85}, -12.3));
    // uint16 0xABCD = 43981
    cases.put("u16_be", new Case("type: uint16", new int[] {0xABCD}, 43981));
    cases.put("u16_le", new Case("type: uint16, byteOrder: little", new int[] {0xCDAB}, 43981));
    // int32 0xFEDCBA98 = -19088744
    addAllOrders(cases, "i32", "int32", 0xFEDCBA98, -19088744, null);
    // uint32 0xF2345678 = 4063516280
    addAllOrders(cases, "u32", "uint32", 0xF2345678, 4063516280.0, null);
    addAllOrders(cases, "u32s", "uint32", 0xF2345678, 40635162.8, "0.01");
    // float32 0x42F6E979 = 123.456f
    addAllOrders(cases, "f32", "float32", 0x42F6E979, 123.456, null);

    StringBuilder yaml = new StringBuilder("name: all-types\ntable: holding\nregisters:\n");
    Map<String, Integer> addresses = new HashMap<>();
    int address = 3; // not at 0, so address offsets are exercised
    try (TestSlave slave = TestSlave.start(7)) {
      for (Map.Entry<String, Case> c : cases.entrySet()) {
        yaml.append("  - {metric: ")
            .append(c.getKey())
            .append(", address: ")
            .append(address)
            .append(", ")
            .append(c.getValue().yaml())
            .append("}\n");
        slave.setHolding(address, c.getValue().words());
        addresses.put(c.getKey(), address);
        address += c.getValue().words().length;
      }
      Path mapFile = dir.resolve("all-types.yaml");
      Files.writeString(mapFile, yaml);

      LinkedBlockingQueue<List<NewReading>> polls = new LinkedBlockingQueue<>();
      ModbusDevice device =
          new ModbusDevice("dev-1", slave.endpoint(), 7, mapFile.toString(), 5000, 2000);
      try (ModbusPoller poller = new ModbusPoller(device, polls::add, new SimpleMeterRegistry())) {
        poller.start();
        List<NewReading> readings = polls.poll(30, TimeUnit.SECONDS);
        assertNotNull(readings, "no poll within 30 s");
        Map<String, Double> got = new HashMap<>();
        readings.forEach(r -> got.put(r.metric(), r.value()));
        cases.forEach(
            (metric, c) -> assertEquals(c.expected(), got.get(metric), metric + " " + c.yaml()));
        assertEquals(cases.size(), readings.size());
      }
    }
  }

  @Test
  void encodeIsTheInverseOfDecodeForTheShippedMaps() {
    for (String name : RegisterMap.SHIPPED) {
      RegisterMap map = RegisterMap.load(name);
      for (RegisterSpec spec : map.registers()) {
        double value = spec.type() == RegisterType.FLOAT32 ? 7.22 : 1234 * spec.effectiveScale();
        int[] words = RegisterDecoder.encode(map, spec, value);
        int[] image = new int[spec.address() + words.length];
        System.arraycopy(words, 0, image, spec.address(), words.length);
        assertEquals(
            value, RegisterDecoder.decode(map, spec, image, 0), 1e-9, name + " " + spec.metric());
      }
    }
  }

  private static void addAllOrders(
      Map<String, Case> cases,
      String prefix,
      String type,
      int bits,
      double expected,
      String scale) {
    int a = (bits >>> 24) & 0xFF;
    int b = (bits >>> 16) & 0xFF;
    int c = (bits >>> 8) & 0xFF;
    int d = bits & 0xFF;
    String s = scale == null ? "" : ", scale: " + scale;
    cases.put(
        prefix + "_abcd",
        new Case("type: " + type + s, new int[] {a << 8 | b, c << 8 | d}, expected));
    cases.put(
        prefix + "_cdab",
        new Case(
            "type: " + type + ", wordOrder: little" + s,
            new int[] {c << 8 | d, a << 8 | b},
            expected));
    cases.put(
        prefix + "_badc",
        new Case(
            "type: " + type + ", byteOrder: little" + s,
            new int[] {b << 8 | a, d << 8 | c},
            expected));
    cases.put(
        prefix + "_dcba",
        new Case(
            "type: " + type + ", byteOrder: little, wordOrder: little" + s,
            new int[] {d << 8 | c, b << 8 | a},
            expected));
  }
}
