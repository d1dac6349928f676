package vn.lantern.rules.pack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import vn.lantern.deploy.testing.TestNode;
import vn.lantern.testing.InfluxDbExtension;
import vn.lantern.testing.TestInflux;

/**
 * The shipped power-factor pack (Circular 15/2014/TT-BCT) on an industrial park's meter: an hourly
 * mean power factor of 0.8 held for 16 minutes raises the seeded warning; the same readings from a
 * meter outside the parks raise nothing, as the pack applies to the parks' meters only.
 */
@ExtendWith(InfluxDbExtension.class)
class PowerFactorPackTest {
  private static final String PARK = "kcn-dien-nam-dien-ngoc";
  private static final String CITY_WARD = "tam-ky";
  private static final String RULE = "Power factor below 0.9 (hourly mean)";

  @Test
  void aParkMeterBelowPointNineRaisesTheSeededWarning(@TempDir Path dataDir, TestInflux influx)
      throws Exception {
    try (TestNode node = SeededPacks.start(dataDir, influx)) {
      JsonObject rule = SeededPacks.rule(node, PARK, RULE::equals);
      assertEquals("power-factor", rule.getJsonObject("source").getString("pack"), rule.encode());
      assertEquals("warning", rule.getString("severity"));

      node.device("tk-meter", "energy", CITY_WARD, "UBND");
      node.device("dnd-meter", "energy", PARK, "Trạm biến áp KCN");
      long t = System.currentTimeMillis() - 30 * 60_000;
      long[] everyFourMinutes = new long[5];
      for (int i = 0; i < everyFourMinutes.length; i++) {
        everyFourMinutes[i] = t + i * 4 * 60_000L;
      }
      for (String device : new String[] {"tk-meter", "dnd-meter"}) {
        SeededPacks.publishAt(node, device, "pf", 0.8, everyFourMinutes);
      }
      SeededPacks.awaitAlert(
          node,
          "dnd-meter",
          rule.getString("id"),
          "the park meter's hourly mean power factor 0.8 held 16 min raises the pack's warning");
      assertTrue(
          node.alerts("?device=tk-meter").isEmpty(),
          "no power-factor rule outside the parks: " + node.alerts("?device=tk-meter"));
    }
  }
}
