package vn.lantern.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import vn.lantern.auth.ApiMeters;
import vn.lantern.common.influx.InfluxMeters;
import vn.lantern.common.metrics.EventLoopMeters;
import vn.lantern.common.metrics.ProcessMeters;
import vn.lantern.deploy.kafka.KafkaMeters;
import vn.lantern.deploy.testing.TestNode;
import vn.lantern.ingest.IngestMeters;
import vn.lantern.ioc.IocMeters;
import vn.lantern.rules.RulesMeters;
import vn.lantern.testing.InfluxDbExtension;
import vn.lantern.testing.TestInflux;

/**
 * Every {@code lantern_} meter follows one convention, {@code lantern_<area>_<what>_<unit>} with
 * counters ending in {@code _total}, both as declared and as a running node exposes it; and Vert.x
 * measures its own pools and servers into the same registry.
 */
@ExtendWith(InfluxDbExtension.class)
class MeterNamesTest {
  private static final Pattern SHAPE = Pattern.compile("lantern_[a-z]+(_[a-z0-9]+)+");
  private static final Pattern TYPE = Pattern.compile("# TYPE (\\S+) (\\S+)");

  @Test
  void everyDeclaredMeterNameFollowsTheConvention() throws Exception {
    List<String> names = new ArrayList<>();
    for (Class<?> meters :
        List.of(
            IngestMeters.class,
            RulesMeters.class,
            IocMeters.class,
            ApiMeters.class,
            InfluxMeters.class,
            KafkaMeters.class,
            ProcessMeters.class,
            EventLoopMeters.class)) {
      for (Field field : meters.getDeclaredFields()) {
        if (!Modifier.isStatic(field.getModifiers())) {
          continue;
        }
        if (field.getType() == String.class) {
          // Micrometer writes a dotted name with underscores on /metrics.
          names.add(((String) field.get(null)).replace('.', '_'));
        } else if (field.get(null) instanceof Record group) {
          // a set of names, such as one Kafka consumer group's meters
          for (RecordComponent component : group.getClass().getRecordComponents()) {
            names.add((String) component.getAccessor().invoke(group));
          }
        }
      }
    }
    assertTrue(names.size() > 40, "expected every meter, found " + names);
    List<String> wrong = names.stream().filter(n -> !SHAPE.matcher(n).matches()).toList();
    assertEquals(List.of(), wrong, "names not shaped lantern_<area>_<what>_<unit>");
  }

  @Test
  void aRunningNodeExposesOnlyConventionalNamesAndVertxMeters(@TempDir Path dir, TestInflux influx)
      throws Exception {
    try (TestNode node = TestNode.builder(dir, influx).start()) {
      // Traffic through the API and the worker pools, so their meters exist.
      node.register("meter-names-1", "noise", "hoi-an", "Phố cổ", "secret-of-meter-names-1");
      node.get("/api/v1/devices");
      String scrape = node.get("/metrics").body();

      Map<String, String> types = new LinkedHashMap<>();
      TYPE.matcher(scrape).results().forEach(m -> types.put(m.group(1), m.group(2)));
      List<String> wrong = new ArrayList<>();
      types.forEach(
          (name, type) -> {
            if (!name.startsWith("lantern_")) {
              return;
            }
            boolean counter = type.equals("counter");
            String exposed = counter && !name.endsWith("_total") ? name + "_total" : name;
            // A timer's companion gauge of its largest recent value.
            exposed = exposed.endsWith("_seconds_max") ? exposed.replace("_max", "") : exposed;
            if (!SHAPE.matcher(exposed).matches()
                || counter != exposed.endsWith("_total")
                || (exposed.contains("duration") && !exposed.endsWith("_seconds"))) {
              wrong.add(type + " " + name);
            }
          });
      assertTrue(types.keySet().stream().anyMatch(n -> n.startsWith("lantern_ingest_")), scrape);
      assertEquals(List.of(), wrong, "meters off the lantern_<area>_<what>_<unit> convention");

      assertTrue(
          types.keySet().stream().anyMatch(n -> n.startsWith("vertx_pool_")),
          "Vert.x worker pool meters on /metrics");
      assertTrue(
          types.keySet().stream().anyMatch(n -> n.startsWith("vertx_http_server_")),
          "Vert.x HTTP server meters on /metrics");
    }
  }
}
