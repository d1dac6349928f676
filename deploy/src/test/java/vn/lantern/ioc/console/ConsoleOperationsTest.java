package vn.lantern.ioc.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.support.ui.Select;
import vn.lantern.deploy.testing.TestNode;
import vn.lantern.testing.InfluxDbExtension;
import vn.lantern.testing.TestInflux;

/**
 * The console as the operations center and zone managers use it, in headless Chromium: numbers
 * typed the Vietnamese way, the wall at full HD and 4K, a cut stream, an expired session, the alert
 * panel, rule editing, history charts and the phone layout. Each test uses its own zone or devices,
 * so they do not depend on each other's order.
 */
@ExtendWith(InfluxDbExtension.class)
class ConsoleOperationsTest {
  @TempDir static Path dataDir;
  @TempDir static Path profile;
  static TestNode node;
  static CuttableProxy link;
  static Chromium chromium;

  @BeforeAll
  static void start(TestInflux influx) throws Exception {
    node =
        TestNode.builder(dataDir, influx)
            .set("rules.seedRulePacks", false)
            .fastKpis(60_000)
            .start();
    link = new CuttableProxy(node.httpPort());
    chromium = Chromium.start(profile, "http://127.0.0.1:" + link.port());
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      if (chromium != null) {
        chromium.close();
      }
      if (link != null) {
        link.close();
      }
    } finally {
      if (node != null) {
        node.close();
      }
    }
  }

  private static WebElement ruleField(String label) {
    return chromium.driver.findElement(
        By.xpath(
            "//form[contains(@class,'rule-form')]//label[starts-with(normalize-space(.),'"
                + label
                + "')]//input"));
  }

  @Test
  void ruleFormReadsTheDecimalComma() throws Exception {
    node.device("tk-wl-dc", "water_level", "tam-ky", "Trạm Tam Kỳ");
    MqttClient gauge = node.mqtt("tk-wl-dc");
    try {
      TestNode.publish(gauge, "level", 1.25);
      TestNode.awaitTrue(
          "reading stored",
          Chromium.WAIT,
          () -> {
            try {
              return node.http(
                          "GET",
                          "/api/v1/kpis/history?device=tk-wl-dc&metric=level",
                          null,
                          node.admin())
                      .json()
                      .getJsonArray("points")
                      .size()
                  == 1;
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
          });
      chromium.signIn("/");
      chromium.errors();
      chromium.driver.findElement(By.cssSelector("button[data-view='rules']")).click();
      chromium.await("form.rule-form").findElement(By.name("name")).sendKeys("Tam Ky above 1,2 m");
      new Select(chromium.driver.findElement(By.name("zone"))).selectByValue("tam-ky");
      WebElement value = ruleField("Giá trị");
      Chromium.retype(value, "1,2");
      Chromium.retype(chromium.driver.findElement(By.name("hold")), "0");
      // The parsed number is shown back, the Vietnamese way.
      chromium
          .waiting()
          .until(
              d ->
                  d.findElement(By.cssSelector("[data-parsed-for='value']"))
                      .getText()
                      .contains("1,2"));
      chromium.driver.findElement(By.cssSelector("button.dry-run")).click();
      // 1.25 m is above 1.2 m (and far below the 12 m that "1,2" used to become).
      chromium
          .waiting()
          .until(d -> d.findElement(By.cssSelector(".preview strong")).getText().endsWith(": 1"));
      assertEquals(
          "1.2",
          chromium
              .driver
              .findElement(By.cssSelector("[data-parsed-for='value']"))
              .getAttribute("data-value"));
      List<LogEntry> errors = chromium.errors();
      assertTrue(errors.isEmpty(), "console errors: " + errors);
    } finally {
      gauge.disconnect();
      gauge.close();
    }
  }

  private static long number(Object o) {
    return ((Number) o).longValue();
  }

  private static void awaitAlert(String device, String state) throws InterruptedException {
    TestNode.awaitTrue(
        device + " " + state,
        Chromium.WAIT,
        () -> {
          try {
            return node.alerts("?device=" + device + "&state=" + state).size() == 1;
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
  }

  private static void screenshot(String name) throws Exception {
    Path file = Path.of("target", name);
    java.nio.file.Files.createDirectories(file.getParent());
    java.nio.file.Files.copy(
        chromium.driver.getScreenshotAs(org.openqa.selenium.OutputType.FILE).toPath(),
        file,
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }

  /** Whether every zone tile lies inside the viewport. */
  private static String tilesOutsideViewport() {
    return (String)
        chromium.script(
            "return [...document.querySelectorAll('article.tile')].filter(t => {"
                + " const r = t.getBoundingClientRect();"
                + " return r.top < 0 || r.left < 0 || r.bottom > innerHeight + 0.5"
                + " || r.right > innerWidth + 0.5; }).map(t => t.dataset.zone).join(',');");
  }

  @Test
  void wallShowsEveryZoneOnOneScreenAtFullHdAnd4k() throws Exception {
    // A critical alarm in the zone whose name sorts last puts it first.
    node.device("tiep-wl-01", "water_level", "kcn-tam-hiep", "Cảng Tam Hiệp");
    node.createRule(
        new io.vertx.core.json.JsonObject(
            """
            {"name": "Tam Hiep flooding", "scope": {"zone": "kcn-tam-hiep", "type": "water_level"},
             "metric": "level", "condition": {"type": "threshold", "op": ">=", "value": 2.0},
             "severity": "critical"}
            """));
    MqttClient gauge = node.mqtt("tiep-wl-01");
    try {
      TestNode.publish(gauge, "level", 2.4);
      awaitAlert("tiep-wl-01", "firing");
      chromium.viewport(1920, 1080);
      chromium.signIn("/");
      chromium.errors();
      int zones = node.get("/api/v1/zones").json().getJsonArray("items").size();
      chromium
          .waiting()
          .until(
              d ->
                  d.findElements(By.cssSelector("article.tile")).size() == zones
                      && "kcn-tam-hiep"
                          .equals(
                              d.findElement(By.cssSelector("article.tile"))
                                  .getAttribute("data-zone")));
      assertEquals("critical", chromium.await("article.tile").getAttribute("data-state"));
      assertEquals("", tilesOutsideViewport(), "tiles outside the 1920×1080 viewport");
      // No "0 warning" badges; the tile says when it was updated.
      for (WebElement badge : chromium.driver.findElements(By.cssSelector(".tile .sev"))) {
        assertTrue(!badge.getText().startsWith("0"), badge.getText());
      }
      assertTrue(
          chromium
              .await("article.tile[data-zone='kcn-tam-hiep'] .updated")
              .getText()
              .startsWith("Cập nhật lúc"));
      double fullHd = titleSize();
      screenshot("console-wall-1920x1080.png");

      chromium.viewport(3840, 2160);
      chromium.waiting().until(d -> titleSize() > 1.8 * fullHd);
      assertEquals("", tilesOutsideViewport(), "tiles outside the 3840×2160 viewport");
      screenshot("console-wall-3840x2160.png");

      // A map marker leads to its zone's tile.
      chromium.viewport(1920, 1080);
      chromium.driver.findElement(By.cssSelector("g.marker[data-zone='hoi-an']")).click();
      chromium.await("article.tile.selected[data-zone='hoi-an']");
      assertTrue(chromium.driver.findElements(By.cssSelector(".legend li")).size() >= 4);
      List<LogEntry> errors = chromium.errors();
      assertTrue(errors.isEmpty(), "console errors: " + errors);
    } finally {
      gauge.disconnect();
      gauge.close();
    }
  }

  @Test
  void theMapDrawsTheServedOutlinesAndTitle() throws Exception {
    io.vertx.core.json.JsonObject served = node.get("/api/v1/zones/geojson").json();
    io.vertx.core.json.JsonObject city = feature(served, "da-nang");
    int corners = city.getJsonObject("geometry").getJsonArray("coordinates").getJsonArray(0).size();
    chromium.viewport(1920, 1080);
    chromium.signIn("/");
    WebElement outline = chromium.await("svg.map polygon.province[data-zone='da-nang']");
    assertEquals(corners, outline.getAttribute("points").split(" ").length);
    assertEquals("true", outline.getAttribute("data-approximate"));
    assertTrue(
        chromium.driver.findElements(By.cssSelector("svg.map polygon.boundary")).size() >= 8,
        "the wards' and parks' outlines are drawn inside the city's");
    assertEquals(
        "Trung tâm điều hành Thành phố Đà Nẵng",
        chromium.await("#title").getText(),
        "the title names the top zone");

    // An admin draws another outline: the console follows, no rebuild.
    io.vertx.core.json.JsonObject triangle = served.copy();
    feature(triangle, "da-nang")
        .put(
            "geometry",
            new io.vertx.core.json.JsonObject()
                .put("type", "Polygon")
                .put(
                    "coordinates",
                    new io.vertx.core.json.JsonArray(
                        "[[[107.5,15.0],[108.8,15.0],[108.2,16.3],[107.5,15.0]]]")));
    feature(triangle, "da-nang").getJsonObject("properties").put("approximate", false);
    try {
      assertEquals(200, node.http("PUT", "/api/v1/zones/geojson", triangle, node.admin()).status());
      chromium.driver.navigate().refresh();
      chromium
          .waiting()
          .until(
              d ->
                  d.findElement(By.cssSelector("svg.map polygon.province[data-zone='da-nang']"))
                          .getAttribute("points")
                          .split(" ")
                          .length
                      == 4);
      assertEquals(
          "false",
          chromium
              .await("svg.map polygon.province[data-zone='da-nang']")
              .getAttribute("data-approximate"));
    } finally {
      assertEquals(200, node.http("PUT", "/api/v1/zones/geojson", served, node.admin()).status());
    }
  }

  private static io.vertx.core.json.JsonObject feature(
      io.vertx.core.json.JsonObject collection, String zone) {
    return collection.getJsonArray("features").stream()
        .map(io.vertx.core.json.JsonObject.class::cast)
        .filter(f -> zone.equals(f.getString("id")))
        .findFirst()
        .orElseThrow();
  }

  private static double titleSize() {
    return Double.parseDouble(
        chromium
            .script(
                "return parseFloat(getComputedStyle(document.querySelector('.tile h2')).fontSize)"
                    + " + '';")
            .toString());
  }

  @Test
  void kioskHasNoControls() {
    chromium.viewport(1920, 1080);
    chromium.signIn("/");
    chromium.driver.get(chromium.driver.getCurrentUrl().replaceAll("[?#].*$", "") + "?kiosk");
    int zones = node.get("/api/v1/zones").json().getJsonArray("items").size();
    chromium.waiting().until(d -> d.findElements(By.cssSelector("article.tile")).size() == zones);
    assertTrue(chromium.driver.findElements(By.cssSelector("[data-view]")).isEmpty());
    assertTrue(chromium.driver.findElements(By.id("lang")).isEmpty());
    assertTrue(
        chromium.driver.findElements(By.cssSelector("button.ack, button.resolve")).stream()
            .noneMatch(WebElement::isDisplayed));
    chromium.driver.get(chromium.driver.getCurrentUrl().replaceAll("[?#].*$", ""));
  }

  @Test
  void aCutStreamShowsAFullWidthBannerUntilItReconnects() {
    chromium.viewport(1920, 1080);
    chromium.signIn("/");
    chromium.await("#live.live");
    assertTrue(chromium.driver.findElements(By.id("stream-banner")).isEmpty());
    try {
      link.cut();
      WebElement banner = chromium.await("#stream-banner");
      assertEquals("down", banner.getAttribute("data-reason"));
      assertTrue(banner.getSize().getWidth() >= 1900, "full width: " + banner.getSize());
    } finally {
      link.restore();
    }
    chromium.await("#live.live");
    chromium.waiting().until(d -> d.findElements(By.id("stream-banner")).isEmpty());
  }

  @Test
  void anExpiredSessionReturnsToLoginSayingWhy() {
    chromium.viewport(1920, 1080);
    chromium.signIn("/");
    // The server refuses the token from now on (as after its 12 h lifetime).
    chromium.script("sessionStorage.setItem('lantern.token', 'expired.token.value');");
    chromium.driver.findElement(By.cssSelector("button[data-view='rules']")).click();
    WebElement why = chromium.await(".session-ended");
    assertTrue(why.getText().contains("hết hạn"), why.getText());
    chromium.submitLogin();
    chromium.await("[data-view]");
    chromium.await("#live.live");
    assertTrue(chromium.driver.findElements(By.cssSelector(".session-ended")).isEmpty());
  }

  @Test
  void operatorAcknowledgesThenResolvesAndSeesItInRecentlyResolved() throws Exception {
    node.device("db-wl-ack", "water_level", "dien-ban", "Cầu Lâu");
    node.createRule(
        new io.vertx.core.json.JsonObject(
            """
            {"name": "Cau Lau test alarm", "scope": {"zone": "dien-ban", "type": "water_level",
             "devices": ["db-wl-ack"]}, "metric": "level",
             "condition": {"type": "threshold", "op": ">=", "value": 3.0}, "severity": "warning"}
            """));
    MqttClient gauge = node.mqtt("db-wl-ack");
    try {
      TestNode.publish(gauge, "level", 3.4);
      awaitAlert("db-wl-ack", "firing");
      chromium.viewport(1920, 1080);
      chromium.signIn("/");
      String id = node.alerts("?device=db-wl-ack&state=firing").getJsonObject(0).getString("id");
      String item = "li.alert[data-alert-id='" + id + "']";
      chromium.await(item + "[data-state='firing'] button.ack").click();
      chromium.await(item + " input.ack-comment").sendKeys("đã cử người kiểm tra");
      chromium.driver.findElement(By.cssSelector(item + " button.ack-send")).click();
      WebElement acked = chromium.await(".alert-group " + item + "[data-state='acknowledged']");
      assertTrue(
          Double.parseDouble(acked.getCssValue("opacity")) < 1,
          "acknowledged looks different from firing");
      assertTrue(acked.findElements(By.cssSelector("button.ack")).isEmpty());
      acked.findElement(By.cssSelector("button.resolve")).click();
      chromium.await(".recently-resolved " + item + "[data-state='resolved']");
      chromium
          .waiting()
          .until(d -> d.findElements(By.cssSelector(".alert-group " + item)).isEmpty());
      awaitAlert("db-wl-ack", "resolved");

      // The sound on new critical alerts can be muted.
      WebElement mute = chromium.await("button.mute");
      String before = mute.getAttribute("aria-pressed");
      mute.click();
      assertTrue(!before.equals(chromium.await("button.mute").getAttribute("aria-pressed")));
      chromium.driver.findElement(By.cssSelector("button.mute")).click();
    } finally {
      gauge.disconnect();
      gauge.close();
    }
  }

  @Test
  void zoneManagerEditsDisablesAndDeletesARule() throws Exception {
    String id =
        node.createRule(
            new io.vertx.core.json.JsonObject(
                """
                {"name": "Tam Thang COD high", "scope": {"zone": "kcn-tam-thang",
                 "type": "wastewater"}, "metric": "cod",
                 "condition": {"type": "threshold", "op": ">", "value": 150, "for": "15m"},
                 "severity": "warning"}
                """));
    chromium.viewport(1920, 1080);
    chromium.signIn("/");
    chromium.driver.findElement(By.cssSelector("button[data-view='rules']")).click();
    chromium.await("input[name='rule-search']").sendKeys("Tam Thang COD");
    String row = "li[data-rule-id='" + id + "']";
    chromium.waiting().until(d -> d.findElements(By.cssSelector(".rule-list li")).size() == 1);
    chromium.await(row + " button.edit").click();
    chromium
        .waiting()
        .until(
            d ->
                id.equals(
                    d.findElement(By.cssSelector("form.rule-form")).getAttribute("data-editing")));
    assertEquals("15", chromium.driver.findElement(By.name("hold")).getAttribute("value"));
    WebElement value = chromium.driver.findElement(By.name("value"));
    Chromium.retype(value, "140,5");
    chromium.driver.findElement(By.cssSelector("button.save")).click();
    chromium.waiting().until(d -> d.findElement(By.name("name")).getAttribute("value").isEmpty());
    io.vertx.core.json.JsonObject saved =
        node.http("GET", "/api/v1/rules/" + id, null, node.admin()).json();
    assertEquals(140.5, saved.getJsonObject("condition").getDouble("value"));
    assertEquals("15m", saved.getJsonObject("condition").getString("for"));

    chromium.await(row + " button.toggle").click();
    TestNode.awaitTrue(
        "disabled",
        Chromium.WAIT,
        () -> {
          try {
            return !node.http("GET", "/api/v1/rules/" + id, null, node.admin())
                .json()
                .getBoolean("enabled");
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
    chromium.await(row + ".disabled button.delete").click();
    chromium.waiting().until(org.openqa.selenium.support.ui.ExpectedConditions.alertIsPresent());
    chromium.driver.switchTo().alert().accept();
    chromium.waiting().until(d -> d.findElements(By.cssSelector(row)).isEmpty());
    assertEquals(404, node.http("GET", "/api/v1/rules/" + id, null, node.admin()).status());
  }

  @Test
  void aOneDayChartSpansOneDayEvenWithOnePoint() throws Exception {
    node.device("tk-wl-chart", "water_level", "tam-ky", "Trạm Tam Kỳ");
    MqttClient gauge = node.mqtt("tk-wl-chart");
    try {
      TestNode.publish(gauge, "level", 1.9);
      TestNode.awaitTrue(
          "reading stored",
          Chromium.WAIT,
          () -> {
            try {
              return node.http(
                          "GET",
                          "/api/v1/kpis/history?device=tk-wl-chart&metric=level",
                          null,
                          node.admin())
                      .json()
                      .getJsonArray("points")
                      .size()
                  == 1;
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
          });
      chromium.viewport(1920, 1080);
      chromium.signIn("/");
      chromium.errors();
      chromium.driver.findElement(By.cssSelector("button[data-view='history']")).click();
      new Select(chromium.await("select[name='mode']")).selectByValue("device");
      new Select(chromium.driver.findElement(By.name("zone"))).selectByValue("tam-ky");
      new Select(chromium.await("select[name='device']")).selectByValue("tk-wl-chart");
      new Select(chromium.driver.findElement(By.name("window"))).selectByValue("24");
      chromium.driver.findElement(By.cssSelector(".history button[type=submit]")).click();
      WebElement chart;
      try {
        chart = chromium.await(".chart[data-x-max]");
      } catch (RuntimeException e) {
        throw new AssertionError(
            chromium.errors()
                + " "
                + chromium.script("return document.querySelector('.history').outerHTML;"),
            e);
      }
      double span =
          Double.parseDouble(chart.getAttribute("data-x-max"))
              - Double.parseDouble(chart.getAttribute("data-x-min"));
      assertTrue(Math.abs(span - 86_400) <= 60, "a one-day axis, not " + span + " s");
      List<LogEntry> errors = chromium.errors();
      assertTrue(errors.isEmpty(), "console errors: " + errors);
    } finally {
      gauge.disconnect();
      gauge.close();
    }
  }

  @Test
  void onAPhoneNothingOverflowsAndAlertsComeFirst() {
    try {
      chromium.viewport(390, 844);
      chromium.signIn("/");
      chromium.await("article.tile");
      for (String view : new String[] {"wall", "history", "rules"}) {
        chromium.driver.findElement(By.cssSelector("button[data-view='" + view + "']")).click();
        assertEquals(
            0L,
            number(
                chromium.script(
                    "return document.documentElement.scrollWidth - document.documentElement.clientWidth;")),
            view + " overflows the phone's width");
      }
      chromium.driver.findElement(By.cssSelector("button[data-view='wall']")).click();
      long alertsTop =
          number(
              chromium.script(
                  "return Math.round(document.getElementById('alert-panel').getBoundingClientRect().top);"));
      long tilesTop =
          number(
              chromium.script(
                  "return Math.round(document.querySelector('.tiles').getBoundingClientRect().top);"));
      assertTrue(alertsTop < tilesTop, "alerts first on a phone");
    } finally {
      chromium.viewport(1920, 1080);
    }
  }
}
