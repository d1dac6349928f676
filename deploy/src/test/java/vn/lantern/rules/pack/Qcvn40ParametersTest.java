package vn.lantern.rules.pack;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import vn.lantern.deploy.testing.TestNode;
import vn.lantern.testing.InfluxDbExtension;
import vn.lantern.testing.TestInflux;

/**
 * The remaining QCVN 40:2011 parameters reach the shipped column B rule under the metric names the
 * ingest knows: total nitrogen reported as {@code total_n} over MQTT, 45 mg/L for 16 minutes,
 * raises the park's column B alert (limit 40 mg/L).
 */
@ExtendWith(InfluxDbExtension.class)
class Qcvn40ParametersTest {
  private static final String PARK = "kcn-dien-nam-dien-ngoc";

  @Test
  void totalNitrogenAboveColumnBRaisesTheParksAlert(@TempDir Path dataDir, TestInflux influx)
      throws Exception {
    try (TestNode node = SeededPacks.start(dataDir, influx)) {
      JsonObject columnB =
          SeededPacks.rule(
              node, PARK, name -> name.startsWith("Wastewater above QCVN 40 column B"));
      assertEquals(5, columnB.getJsonObject("source").getInteger("version"));

      node.device("dnd-ww-tn", "wastewater", PARK, "Trạm xử lý nước thải tập trung");
      long t = System.currentTimeMillis() - 30 * 60_000;
      // held 15 minutes above 40
      SeededPacks.publishAt(node, "dnd-ww-tn", "total_n", 45, t, t + 16 * 60_000);
      SeededPacks.awaitAlert(
          node,
          "dnd-ww-tn",
          columnB.getString("id"),
          "the park's column B rule fires at total N 45 mg/L");
    }
  }
}
