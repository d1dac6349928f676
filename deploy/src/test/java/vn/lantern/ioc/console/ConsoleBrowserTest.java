package vn.lantern.ioc.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import vn.lantern.deploy.testing.TestNode;
import vn.lantern.testing.InfluxDbExtension;
import vn.lantern.testing.TestInflux;

/**
 * The IOC console in headless Chromium (Debian's {@code chromium} and {@code chromium-driver},
 * never a downloaded browser): it loads without console errors, a tile follows a reading published
 * over MQTT, an alert appears and is acknowledged with a comment, the language switches, a
 * screenshot of the wall view is kept as {@code target/console-wall.png}, and signing out revokes
 * the token on the server.
 */
@ExtendWith(InfluxDbExtension.class)
class ConsoleBrowserTest {
  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final String TILE_LEVEL = "[data-zone='hoi-an'] [data-kpi='river_level_max']";
  private static final String TILE_AQI = "[data-zone='hoi-an'] [data-kpi='aqi']";
  private static final String TILE_ADVICE = "[data-zone='hoi-an'] .aqi .advice";
  private static final String TILE_AQI_DAILY = "[data-zone='hoi-an'] [data-kpi='aqi_daily']";

  @TempDir static Path dataDir;
  @TempDir static Path profile;
  static TestNode node;
  static ChromeDriver browser;

  @BeforeAll
  static void start(TestInflux influx) throws Exception {
    node =
        TestNode.builder(dataDir, influx)
            .set("rules.seedRulePacks", false)
            .fastKpis(60_000)
            .start();
    browser = Chromium.start(profile, "http://127.0.0.1:" + node.httpPort()).driver;
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      if (browser != null) {
        browser.quit();
      }
    } finally {
      if (node != null) {
        node.close();
      }
    }
  }

  private static WebDriverWait waiting() {
    return new WebDriverWait(browser, WAIT);
  }

  @Test
  void operatorWatchesAcknowledgesAndSwitchesLanguage() throws Exception {
    node.device("ha-wl-01", "water_level", "hoi-an", "Trạm Hội An");
    node.device("ha-rain-01", "rain_gauge", "hoi-an", "Trạm Hội An");
    node.device("ha-air-01", "air_quality", "hoi-an", "Công viên");
    node.createRule(
        new JsonObject(
            "{\"name\": \"Hoi An above alarm 2\", \"scope\": {\"zone\": \"hoi-an\", \"type\":"
                + " \"water_level\"}, \"metric\": \"level\", \"condition\": {\"type\":"
                + " \"threshold\", \"op\": \">=\", \"value\": 1.5, \"for\": \"0s\", \"clear\":"
                + " 1.4}, \"severity\": \"warning\", \"channels\": [], \"enabled\": true}"));
    MqttClient level = node.mqtt("ha-wl-01");
    MqttClient rain = node.mqtt("ha-rain-01");
    MqttClient air = node.mqtt("ha-air-01");
    try {
      TestNode.publish(level, "level", 1.2);
      TestNode.publish(rain, "rain", 12.5);
      // PM2.5 40 µg/m³ last hour and now: NowCast 40 → AQI 50 + 50 / 25 × 15 = 80 (moderate);
      // today's mean is 40 too, so the daily AQI is 80.
      long now = System.currentTimeMillis();
      TestNode.publish(air, "pm25", 40, now - Math.floorMod(now, 3_600_000L) - 3_000_000L);
      TestNode.publish(air, "pm25", 40, now);

      browser.get("http://127.0.0.1:" + node.httpPort() + "/");
      waiting().until(d -> d.findElement(By.id("username")));
      browser.findElement(By.id("username")).sendKeys("admin");
      browser.findElement(By.id("password")).sendKeys(TestNode.ADMIN_PASSWORD);
      browser.findElement(By.cssSelector("form.login button[type=submit]")).click();
      waitValue(TILE_LEVEL, "1.2");
      waitValue(TILE_AQI, "80");
      waitValue(TILE_AQI_DAILY, "80");
      // Today is in progress: provisional, over the 2 hours with data so far.
      WebElement daily = browser.findElement(By.cssSelector(TILE_AQI_DAILY));
      assertEquals("true", daily.getAttribute("data-provisional"));
      assertTrue(daily.getText().contains("AQI ngày 80 (tạm tính, 2 giờ)"), daily.getText());
      assertEquals(
          "Có thể hoạt động ngoài trời bình thường.",
          browser.findElement(By.cssSelector(TILE_ADVICE)).getText(),
          "the band's health advice under the AQI");

      // A reading over MQTT moves the tile and raises an alert.
      TestNode.publish(level, "level", 1.8);
      waitValue(TILE_LEVEL, "1.8");
      // Above BĐ2 (1.5 m at Hội An): the tile shows the bulletin line in the official wording.
      waiting()
          .until(
              d ->
                  d.findElement(By.cssSelector("[data-zone='hoi-an'] .river .bulletin"))
                      .getText()
                      .equals("Mực nước sông Thu Bồn tại Hội An: 1,80 m, trên BĐ2 0,30 m"));
      WebElement alert =
          waiting().until(d -> d.findElement(By.cssSelector("li.alert[data-state='firing']")));
      assertTrue(alert.getText().contains("Hoi An above alarm 2"), alert.getText());
      assertEquals(
          "warning",
          browser
              .findElement(By.cssSelector("article[data-zone='hoi-an']"))
              .getAttribute("data-state"));
      assertEquals(
          "warning",
          browser
              .findElement(By.cssSelector("g.marker[data-zone='hoi-an']"))
              .getAttribute("data-state"),
          "the map marker shows the zone's worst state");

      alert.findElement(By.cssSelector("button.ack")).click();
      browser.findElement(By.cssSelector("input.ack-comment")).sendKeys("đội cứu hộ đã được báo");
      browser.findElement(By.cssSelector("button.ack-send")).click();
      waiting().until(d -> d.findElement(By.cssSelector("li.alert[data-state='acknowledged']")));
      JsonArray acked = node.alerts("?state=acknowledged");
      assertEquals(1, acked.size(), acked.encodePrettily());
      assertEquals("đội cứu hộ đã được báo", acked.getJsonObject(0).getString("ackComment"));

      // Vietnamese first, English on a click.
      assertEquals("vi", browser.findElement(By.tagName("html")).getAttribute("lang"));
      assertEquals(
          "Trung tâm điều hành Thành phố Đà Nẵng", browser.findElement(By.id("title")).getText());
      Path screenshot = Path.of("target", "console-wall.png");
      Files.createDirectories(screenshot.getParent());
      Files.copy(
          browser.getScreenshotAs(OutputType.FILE).toPath(),
          screenshot,
          StandardCopyOption.REPLACE_EXISTING);
      browser.findElement(By.id("lang")).click();
      waiting()
          .until(
              d ->
                  d.findElement(By.id("title"))
                      .getText()
                      .equals("Thành phố Đà Nẵng operations center"));
      assertEquals("en", browser.findElement(By.tagName("html")).getAttribute("lang"));
      assertEquals(
          "Outdoor activities as usual.",
          browser.findElement(By.cssSelector(TILE_ADVICE)).getText());
      String dailyEn = browser.findElement(By.cssSelector(TILE_AQI_DAILY)).getText();
      assertTrue(dailyEn.contains("daily AQI 80 (provisional, 2 h)"), dailyEn);
      Files.copy(
          browser.getScreenshotAs(OutputType.FILE).toPath(),
          Path.of("target", "console-wall-en.png"),
          StandardCopyOption.REPLACE_EXISTING);

      // History of a device metric (from InfluxDB) and the rule editor's dry run.
      browser.findElement(By.cssSelector("button[data-view='history']")).click();
      new Select(browser.findElement(By.name("mode"))).selectByValue("device");
      new Select(browser.findElement(By.name("zone"))).selectByValue("hoi-an");
      // A list to choose from once the registry's devices have come; a text field until then.
      new Select(waiting().until(d -> d.findElement(By.cssSelector("select[name='device']"))))
          .selectByValue("ha-wl-01");
      new Select(browser.findElement(By.name("metric"))).selectByValue("level");
      browser.findElement(By.cssSelector(".history button[type=submit]")).click();
      waiting().until(d -> d.findElement(By.cssSelector(".chart canvas")));
      browser.findElement(By.cssSelector("button[data-view='rules']")).click();
      browser.findElement(By.name("name")).sendKeys("Hoi An above 1.5 m");
      new Select(browser.findElement(By.name("zone"))).selectByValue("hoi-an");
      browser.findElement(By.name("value")).sendKeys("1,5");
      // Not clear() and "0": a re-render in between put the form's "5" back, "50" minutes.
      Chromium.retype(browser.findElement(By.name("hold")), "0");
      browser.findElement(By.cssSelector("button.dry-run")).click();
      // The stored 1.8 m reading is above the threshold typed (1,5 m): one alert.
      waiting()
          .until(d -> d.findElement(By.cssSelector(".preview strong")).getText().endsWith(": 1"));
      browser.findElement(By.cssSelector("button[data-view='wall']")).click();

      List<LogEntry> errors =
          browser.manage().logs().get(LogType.BROWSER).getAll().stream()
              .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
              .toList();
      assertTrue(errors.isEmpty(), "console errors: " + errors);

      // Signing out revokes the token on the server too, not only in the browser.
      browser.findElement(By.id("logout")).click();
      waiting().until(d -> d.findElement(By.id("username")));
      TestNode.awaitTrue(
          "the console's logout in the audit log",
          WAIT,
          () -> {
            try {
              return node.http("GET", "/api/v1/audit?action=logout&actor=admin", null, node.admin())
                      .json()
                      .getJsonArray("entries")
                      .size()
                  == 1;
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
          });
    } finally {
      for (MqttClient c : List.of(level, rain, air)) {
        c.disconnect();
        c.close();
      }
    }
  }

  private static void waitValue(String css, String value) {
    waiting()
        .until(
            d ->
                d.findElements(By.cssSelector(css)).stream()
                    .anyMatch(e -> value.equals(e.getAttribute("data-value"))));
  }
}
