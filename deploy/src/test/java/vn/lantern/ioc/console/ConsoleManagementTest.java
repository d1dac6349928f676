package vn.lantern.ioc.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
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
 * The console's exports and management pages in headless Chromium: CSV downloads of a reading
 * history, a KPI history and the alerts, the device registry page (register, search, rotate,
 * disable, delete, in Vietnamese and English), the users page, a wall display running on its
 * display token (through a TCP relay that can be cut) and the API reference at {@code /api/docs/}.
 */
@ExtendWith(InfluxDbExtension.class)
class ConsoleManagementTest {
  private static final long HOUR = 3_600_000;

  @TempDir static Path dataDir;
  @TempDir static Path profile;
  @TempDir static Path downloads;
  static TestNode node;
  static CuttableProxy link;
  static Chromium chromium;

  @BeforeAll
  static void start(TestInflux influx) throws Exception {
    node =
        TestNode.builder(dataDir, influx).set("rules.seedRulePacks", false).fastKpis(1000).start();
    link = new CuttableProxy(node.httpPort());
    chromium = Chromium.start(profile, "http://127.0.0.1:" + link.port());
    chromium.driver.executeCdpCommand(
        "Browser.setDownloadBehavior",
        Map.of("behavior", "allow", "downloadPath", downloads.toString()));
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

  /** Waits for a finished download named {@code name} and reads its lines. */
  private static List<String> downloaded(String name) throws Exception {
    Path file = downloads.resolve(name);
    TestNode.awaitTrue(
        "download of " + name,
        Chromium.WAIT,
        () ->
            Files.exists(file)
                && !Files.exists(downloads.resolve(name + ".crdownload"))
                && file.toFile().length() > 0);
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    Files.delete(file);
    return lines;
  }

  private static void assertNoConsoleErrors() {
    List<LogEntry> errors = chromium.errors();
    assertTrue(errors.isEmpty(), "console errors: " + errors);
  }

  private static void view(String name) {
    chromium.await("button[data-view='" + name + "']").click();
  }

  @Test
  void historiesAndAlertsDownloadAsCsv() throws Exception {
    node.device("tk-wl-csv", "water_level", "tam-ky", "Trạm Tam Kỳ");
    node.createRule(
        new JsonObject(
            """
            {"name": "Tam Ky CSV flood", "scope": {"zone": "tam-ky", "devices": ["tk-wl-csv"]},
             "metric": "level", "condition": {"type": "threshold", "op": ">=", "value": 2.0},
             "severity": "critical"}
            """));
    MqttClient gauge = node.mqtt("tk-wl-csv");
    long now = System.currentTimeMillis();
    try {
      TestNode.publish(gauge, now - 2 * HOUR, new JsonObject().put("level", 1.5));
      TestNode.publish(gauge, now - HOUR, new JsonObject().put("level", 2.25));
      TestNode.awaitTrue(
          "alert firing",
          Chromium.WAIT,
          () -> {
            try {
              return node.alerts("?device=tk-wl-csv&state=firing").size() == 1;
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
          });
    } finally {
      gauge.disconnect();
      gauge.close();
    }
    chromium.signIn("/");
    chromium.errors();

    view("history");
    new Select(chromium.await("select[name='mode']")).selectByValue("device");
    new Select(chromium.driver.findElement(By.name("zone"))).selectByValue("tam-ky");
    new Select(chromium.await("select[name='device']")).selectByValue("tk-wl-csv");
    chromium.driver.findElement(By.cssSelector(".history button.download")).click();
    List<String> readings = downloaded("tk-wl-csv-level.csv");
    assertEquals("time,value,min,max", readings.get(0));
    assertEquals(List.of("1.5,1.5,1.5", "2.25,2.25,2.25"), values(readings), readings.toString());

    new Select(chromium.driver.findElement(By.name("mode"))).selectByValue("kpi");
    new Select(chromium.driver.findElement(By.name("zone"))).selectByValue("tam-ky");
    new Select(chromium.driver.findElement(By.name("kpi"))).selectByValue("alerts_open_critical");
    // a window that closed a moment before the alert fired may be the first one written
    TestNode.awaitTrue(
        "a KPI window written after the alert fired",
        Chromium.WAIT,
        () -> criticalCountedIn("tam-ky"));
    chromium.driver.findElement(By.cssSelector(".history button.download")).click();
    List<String> kpi = downloaded("tam-ky-alerts_open_critical.csv");
    assertEquals("time,value,min,max", kpi.get(0));
    assertTrue(kpi.size() > 1, kpi.toString());
    for (String row : kpi.subList(1, kpi.size())) {
      Instant.parse(row.substring(0, row.indexOf(',')));
      assertTrue(row.matches("[^,]+(,\\d+(\\.\\d+)?(E-?\\d+)?){3}"), row);
    }
    String last = kpi.get(kpi.size() - 1);
    assertTrue(
        Double.parseDouble(last.substring(last.lastIndexOf(',') + 1)) >= 1,
        "the open critical alert is counted: " + kpi);

    view("wall");
    new Select(chromium.await("select[name='alert-zone']")).selectByValue("tam-ky");
    chromium.driver.findElement(By.cssSelector(".alert-filters button.download")).click();
    List<String> alerts = downloaded("alerts.csv");
    assertTrue(alerts.get(0).startsWith("id,ruleId,ruleName,zone,site,device,"), alerts.get(0));
    assertEquals(
        1 + node.alerts("?zone=tam-ky&from=" + (now - 30 * 24 * HOUR)).size(),
        alerts.size(),
        alerts.toString());
    String mine =
        alerts.stream().filter(row -> row.contains(",Tam Ky CSV flood,")).findFirst().orElseThrow();
    assertTrue(
        mine.contains(",Tam Ky CSV flood,tam-ky,Trạm Tam Kỳ,tk-wl-csv,level,critical,firing,"),
        mine);
    assertNoConsoleErrors();
  }

  /** The value,min,max columns of a CSV history. */
  private static List<String> values(List<String> csv) {
    return csv.stream().skip(1).map(row -> row.substring(row.indexOf(',') + 1)).toList();
  }

  private static boolean criticalCountedIn(String zone) {
    try {
      return node
          .http(
              "GET",
              "/api/v1/kpis/history?zone=" + zone + "&kpi=alerts_open_critical",
              null,
              node.admin())
          .json()
          .getJsonArray("points")
          .stream()
          .anyMatch(p -> ((JsonObject) p).getDouble("max") >= 1);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static MqttClient connect(String id, String secret) throws MqttException {
    MqttClient client =
        new MqttClient("tcp://127.0.0.1:" + node.mqttPort(), id + "-page", new MemoryPersistence());
    MqttConnectOptions options = new MqttConnectOptions();
    options.setUserName(id);
    options.setPassword(secret.toCharArray());
    options.setConnectionTimeout(10);
    client.connect(options);
    return client;
  }

  private static WebElement row(String id) {
    return chromium.await("tr[data-device-id='" + id + "']");
  }

  /** Clicks a row's button and accepts the confirmation the page asks for. */
  private static void confirmAction(String id, String button) {
    row(id).findElement(By.cssSelector("button." + button)).click();
    chromium.waiting().until(d -> d.switchTo().alert()).accept();
  }

  @Test
  void adminsManageDevicesFromTheDevicesPage() throws Exception {
    chromium.signIn("/");
    chromium.errors(); // what earlier tests left in the log
    if (!"vi".equals(chromium.script("return document.documentElement.lang;"))) {
      chromium.driver.findElement(By.id("lang")).click();
    }
    view("devices");
    assertEquals("Đăng ký thiết bị", chromium.await(".device-form h3").getText());
    WebElement form = chromium.await("form.device-form");
    form.findElement(By.name("id")).sendKeys("tk-aq-page");
    new Select(form.findElement(By.name("type"))).selectByValue("air_quality");
    new Select(form.findElement(By.name("zone"))).selectByValue("tam-ky");
    form.findElement(By.name("site")).sendKeys("Chợ Tam Kỳ");
    form.findElement(By.cssSelector("button.register")).click();
    String secret = chromium.await("code.new-secret[data-device='tk-aq-page']").getText();
    assertEquals(32, secret.length(), secret);
    assertTrue(row("tk-aq-page").getText().contains("Chợ Tam Kỳ"));
    MqttClient device = connect("tk-aq-page", secret);
    assertTrue(device.isConnected());

    // Search narrows the list to the matching devices.
    node.device("tk-wl-other", "water_level", "tam-ky", "Sông Tam Kỳ");
    chromium.driver.navigate().refresh();
    view("devices");
    chromium.await("input[name='device-search']").sendKeys("chợ");
    chromium.waiting().until(d -> d.findElements(By.cssSelector("tr[data-device-id]")).size() == 1);
    assertEquals("tk-aq-page", chromium.await("tr[data-device-id]").getAttribute("data-device-id"));

    // Rotating shows a new secret once; the old one stops working and the session is closed.
    confirmAction("tk-aq-page", "rotate");
    chromium
        .waiting()
        .until(d -> !d.findElement(By.cssSelector("code.new-secret")).getText().equals(secret));
    String rotated = chromium.driver.findElement(By.cssSelector("code.new-secret")).getText();
    assertNotEquals(secret, rotated);
    TestNode.awaitTrue("old session closed", Chromium.WAIT, () -> !device.isConnected());
    device.close();
    assertThrows(MqttException.class, () -> connect("tk-aq-page", secret).close());
    MqttClient again = connect("tk-aq-page", rotated);
    again.disconnect();
    again.close();

    // Disabled: refused, shown as such; enabled again: accepted.
    row("tk-aq-page").findElement(By.cssSelector("button.toggle")).click();
    chromium.waiting().until(d -> row("tk-aq-page").getAttribute("class").contains("disabled"));
    assertEquals(true, json("/api/v1/devices/tk-aq-page").getBoolean("disabled"));
    assertThrows(MqttException.class, () -> connect("tk-aq-page", rotated).close());

    // In English too.
    chromium.driver.findElement(By.id("lang")).click();
    assertEquals("Register a device", chromium.await(".device-form h3").getText());
    assertEquals(
        "Enable", row("tk-aq-page").findElement(By.cssSelector("button.toggle")).getText());

    // A refused registration names the field at fault.
    WebElement again2 = chromium.driver.findElement(By.cssSelector("form.device-form"));
    again2.findElement(By.name("id")).sendKeys("tk-bad");
    again2.findElement(By.name("site")).sendKeys("Tam Ky");
    again2.findElement(By.name("secret")).sendKeys("short");
    again2.findElement(By.cssSelector("button.register")).click();
    assertEquals("secret", chromium.await(".devices .error").getAttribute("data-error-field"));
    chromium.errors(); // the browser logs the refused request

    confirmAction("tk-aq-page", "delete");
    chromium
        .waiting()
        .until(d -> d.findElements(By.cssSelector("tr[data-device-id='tk-aq-page']")).isEmpty());
    assertEquals(404, node.http("GET", "/api/v1/devices/tk-aq-page", null, node.admin()).status());
    chromium.driver.findElement(By.id("lang")).click();
    assertNoConsoleErrors();
  }

  private static JsonObject json(String path) throws Exception {
    return node.http("GET", path, null, node.admin()).json();
  }

  @Test
  void theApiReferenceRendersEveryOperationOffline() {
    chromium.errors();
    chromium.driver.get("http://127.0.0.1:" + node.httpPort() + "/api/docs");
    try {
      chromium.waiting().until(d -> d.findElements(By.cssSelector(".opblock")).size() >= 36);
    } catch (RuntimeException e) {
      throw new AssertionError(
          chromium.errors()
              + " "
              + chromium.script("return document.body.innerHTML.slice(0, 3000);"),
          e);
    }
    String page = chromium.driver.findElement(By.id("swagger-ui")).getText();
    assertTrue(page.contains("/api/v1/devices/{id}"), page);
    assertTrue(page.contains("/api/v1/alerts"), page);
    // Everything came from the node itself: nothing was fetched from elsewhere.
    Object foreign =
        chromium.script(
            "return performance.getEntriesByType('resource').map(e => e.name)"
                + ".filter(u => !u.startsWith(location.origin) && !u.startsWith('data:'));");
    assertEquals(List.of(), foreign);
    // Swagger UI fetches the OpenID Connect discovery document the document names (a placeholder:
    // the issuer is each deployment's); the Content Security Policy refuses it, as it would any
    // other origin. Nothing else may fail.
    List<String> errors =
        chromium.errors().stream()
            .map(LogEntry::getMessage)
            .filter(m -> !m.contains("issuer.example") && !m.contains("TypeError: Failed to fetch"))
            .toList();
    assertEquals(List.of(), errors);
  }

  private static JsonObject apiJson(String method, String path, JsonObject body) throws Exception {
    var r = node.http(method, path, body, node.admin());
    return r.body() == null || r.body().isEmpty() ? null : r.json();
  }

  private static int login(String username, String password) throws Exception {
    return node.http(
            "POST",
            "/api/v1/login",
            new JsonObject().put("username", username).put("password", password),
            null)
        .status();
  }

  private static WebElement userRow(String username) {
    return chromium.await("tr[data-username='" + username + "']");
  }

  @Test
  void adminsManageUsersFromTheUsersPage() throws Exception {
    chromium.signIn("/");
    chromium.errors(); // what earlier tests left in the log
    view("users");
    WebElement form = chromium.await("form.user-form");
    form.findElement(By.name("username")).sendKeys("op-page");
    form.findElement(By.name("new-password")).sendKeys("operator-password-1");
    new Select(form.findElement(By.name("role"))).selectByValue("operator");
    form.findElement(By.cssSelector("button.save-user")).click();
    assertTrue(userRow("op-page").getText().contains("Trực ban"), userRow("op-page").getText());
    assertEquals(200, login("op-page", "operator-password-1"));

    // Role and zones.
    userRow("op-page").findElement(By.cssSelector("button.edit")).click();
    new Select(chromium.await("form.user-form select[name='role']")).selectByValue("zone-manager");
    chromium.await("input[name='user-zones'][value='hoi-an']").click();
    chromium.driver.findElement(By.cssSelector("button.save-user")).click();
    chromium.waiting().until(d -> userRow("op-page").getText().contains("Quản lý khu vực"));
    JsonObject stored = apiJson("GET", "/api/v1/users/op-page", null);
    assertEquals("zone-manager", stored.getString("role"));
    assertEquals(List.of("hoi-an"), stored.getJsonArray("zones").getList());

    // Disabled: cannot sign in; enabled again: can.
    userRow("op-page").findElement(By.cssSelector("button.toggle")).click();
    chromium.waiting().until(d -> userRow("op-page").getAttribute("class").contains("disabled"));
    assertEquals(401, login("op-page", "operator-password-1"));
    userRow("op-page").findElement(By.cssSelector("button.toggle")).click();
    chromium.waiting().until(d -> !userRow("op-page").getAttribute("class").contains("disabled"));

    // A reset password is shown once and replaces the old one.
    userRow("op-page").findElement(By.cssSelector("button.reset-password")).click();
    chromium.waiting().until(d -> d.switchTo().alert()).accept();
    String password = chromium.await("code.new-password[data-user='op-page']").getText();
    assertEquals(200, login("op-page", password));
    assertEquals(401, login("op-page", "operator-password-1"));

    chromium.driver.findElement(By.id("lang")).click();
    assertEquals("Create a user", chromium.await(".user-form h3").getText());
    chromium.driver.findElement(By.id("lang")).click();

    userRow("op-page").findElement(By.cssSelector("button.delete")).click();
    chromium.waiting().until(d -> d.switchTo().alert()).accept();
    chromium
        .waiting()
        .until(d -> d.findElements(By.cssSelector("tr[data-username='op-page']")).isEmpty());
    assertEquals(404, node.http("GET", "/api/v1/users/op-page", null, node.admin()).status());
    assertNoConsoleErrors();
  }

  @Test
  void aWallDisplayRunsOnItsTokenReconnectsAndShowsWhenRevoked() throws Exception {
    chromium.signIn("/");
    view("users");
    WebElement form = chromium.await("form.display-form");
    form.findElement(By.name("display-name")).sendKeys("IOC wall 1");
    form.findElement(By.cssSelector("button.issue-display")).click();
    String wall = chromium.await("code.display-link").getText();
    assertTrue(wall.contains("/#kiosk="), wall);
    String id = chromium.await("tr[data-display-id]").getAttribute("data-display-id");
    // The wall: no sign-in, even after the browser's session ends.
    chromium.script("sessionStorage.clear();");
    try {
      chromium.driver.get(wall);
      int zones = node.get("/api/v1/zones").json().getJsonArray("items").size();
      chromium.waiting().until(d -> d.findElements(By.cssSelector("article.tile")).size() == zones);
      assertEquals(
          "", chromium.script("return location.hash;"), "the token leaves the address bar");
      chromium.await("#live.live");
      assertTrue(chromium.driver.findElements(By.id("username")).isEmpty());
      // The link is cut: the wall says so and comes back by itself.
      link.cut();
      chromium.await("#live.down");
      link.restore();
      chromium.await("#live.live");
      // Revoked: a full-screen notice, never a login page, also after a reload.
      assertEquals(
          204, node.http("DELETE", "/api/v1/display-tokens/" + id, null, node.admin()).status());
      link.cut();
      link.restore();
      chromium.await("#display-revoked");
      assertTrue(chromium.driver.findElements(By.id("username")).isEmpty());
      chromium.driver.navigate().refresh();
      chromium.await("#display-revoked");
      assertTrue(chromium.driver.findElements(By.id("username")).isEmpty());
    } finally {
      chromium.script("localStorage.removeItem('lantern.display');");
    }
  }
}
