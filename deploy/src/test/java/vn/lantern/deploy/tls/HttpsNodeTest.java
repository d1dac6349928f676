package vn.lantern.deploy.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.File;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;
import vn.lantern.deploy.NodeConfig;
import vn.lantern.deploy.StandaloneNode;
import vn.lantern.ingest.ClientProcess;
import vn.lantern.ingest.tls.CertificateAuthority;
import vn.lantern.testing.InfluxDbExtension;
import vn.lantern.testing.TestInflux;

/**
 * The standalone node with a certificate and its plain listeners turned off: {@code curl --cacert}
 * logs in over HTTPS (and refuses the server under another CA), and the console loads and signs in
 * over HTTPS in headless Chromium, which trusts exactly the node's key.
 */
@ExtendWith(InfluxDbExtension.class)
class HttpsNodeTest {
  private static final String ADMIN_PASSWORD = "admin-password-for-https-tests";
  private static final File CHROMIUM = new File("/usr/bin/chromium");
  private static final File CHROMEDRIVER = new File("/usr/bin/chromedriver");

  @TempDir static Path dir;
  @TempDir static Path profile;
  private static StandaloneNode node;
  private static CertificateAuthority.Issued server;
  private static Path caFile;
  private static Path rogueCaFile;
  private static Path curl;

  @BeforeAll
  static void start(TestInflux influx) throws Exception {
    curl = ClientProcess.program("curl", "curl");
    CertificateAuthority ca = CertificateAuthority.create("HTTPS test CA", Duration.ofDays(2));
    caFile = dir.resolve("ca.pem");
    ca.asIssued().write(caFile, dir.resolve("ca.key"));
    rogueCaFile = dir.resolve("rogue.pem");
    CertificateAuthority.create("Rogue", Duration.ofDays(2))
        .asIssued()
        .write(rogueCaFile, dir.resolve("rogue.key"));
    server = ca.issueServer(List.of("127.0.0.1", "localhost"), Duration.ofDays(1));
    server.write(dir.resolve("server.pem"), dir.resolve("server.key"));

    Map<String, String> env = new HashMap<>();
    env.put("LANTERN_DATA_DIR", dir.resolve("node").toString());
    env.put("LANTERN_INFLUX_URL", influx.url());
    env.put("LANTERN_INFLUX_DB", influx.database());
    env.put("LANTERN_ADMIN_PASSWORD", ADMIN_PASSWORD);
    env.put("LANTERN_TLS_CERT", dir.resolve("server.pem").toString());
    env.put("LANTERN_TLS_KEY", dir.resolve("server.key").toString());
    for (String listener : List.of("HTTP", "MQTT", "COAP", "COAPS")) {
      env.put("LANTERN_" + listener + "_HOST", "127.0.0.1");
    }
    // Plain HTTP and MQTT off; every TLS listener on a free port.
    for (String port : List.of("HTTP", "MQTT", "HTTPS", "MQTTS", "COAPS")) {
      env.put("LANTERN_" + port + "_PORT", "0");
    }
    node =
        StandaloneNode.start(NodeConfig.load(null, env), null)
            .toCompletionStage()
            .toCompletableFuture()
            .get();
  }

  @AfterAll
  static void stop() throws Exception {
    if (node != null) {
      node.close(Duration.ofSeconds(15));
    }
  }

  @Test
  void onlyTheTlsListenersRun() {
    assertEquals(-1, node.httpPort());
    assertEquals(-1, node.mqttPort());
    assertTrue(node.httpsPort() > 0);
    assertTrue(node.ingest().mqttsPort() > 0);
  }

  @Test
  void curlWithTheCaLogsInOverHttps() {
    ClientProcess.Result login = curlLogin(caFile);
    assertTrue(login.succeeded(), login.output());
    assertFalse(new JsonObject(login.output()).getString("token", "").isEmpty(), login.output());
  }

  @Test
  void theStreamCookieIsSecureOverHttps() {
    ClientProcess.Result login =
        ClientProcess.run(
            dir,
            List.of(
                curl.toString(),
                "-sS",
                "--fail",
                "--cacert",
                caFile.toString(),
                "-o",
                "/dev/null",
                "-D",
                "-",
                "-H",
                "content-type: application/json",
                "-d",
                new JsonObject().put("username", "admin").put("password", ADMIN_PASSWORD).encode(),
                "https://127.0.0.1:" + node.httpsPort() + "/api/v1/login"));
    assertTrue(login.succeeded(), login.output());
    String cookie =
        login
            .output()
            .lines()
            .filter(l -> l.toLowerCase(Locale.ROOT).startsWith("set-cookie: lantern_token="))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no token cookie: " + login.output()))
            .toLowerCase(Locale.ROOT);
    List<String> attributes = List.of(cookie.trim().split(";\\s*"));
    assertTrue(attributes.contains("secure"), cookie);
    assertTrue(attributes.contains("httponly"), cookie);
    assertTrue(attributes.contains("samesite=strict"), cookie);
  }

  @Test
  void curlTrustingAnotherCaRefusesTheServer() {
    ClientProcess.Result login = curlLogin(rogueCaFile);
    assertFalse(login.succeeded(), login.output());
  }

  @Test
  void consoleLoadsAndSignsInOverHttpsInHeadlessChromium() throws Exception {
    assertTrue(
        CHROMIUM.canExecute() && CHROMEDRIVER.canExecute(),
        "headless Chromium is missing: install the Debian packages chromium and chromium-driver"
            + " (./lantern test installs them when run as root)");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM);
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
        "--user-data-dir=" + profile,
        // Trust exactly the node's key, not every certificate: a wrong one still fails.
        "--ignore-certificate-errors-spki-list=" + spkiSha256(server));
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(CHROMEDRIVER)
            .usingAnyFreePort()
            .build();
    ChromeDriver browser = new ChromeDriver(service, options);
    try {
      WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(15));
      browser.get("https://127.0.0.1:" + node.httpsPort() + "/");
      wait.until(d -> d.findElement(By.id("username")));
      browser.findElement(By.id("username")).sendKeys("admin");
      browser.findElement(By.id("password")).sendKeys(ADMIN_PASSWORD);
      browser.findElement(By.cssSelector("form.login button[type=submit]")).click();
      // signed in: the header offers to sign out (in either language)
      wait.until(d -> d.findElement(By.xpath("//header//button[.='Sign out' or .='Đăng xuất']")));
      assertTrue(browser.getCurrentUrl().startsWith("https://"), browser.getCurrentUrl());
    } finally {
      browser.quit();
    }
  }

  private static ClientProcess.Result curlLogin(Path ca) {
    return ClientProcess.run(
        dir,
        List.of(
            curl.toString(),
            "-sS",
            "--fail",
            "--cacert",
            ca.toString(),
            "-H",
            "content-type: application/json",
            "-d",
            new JsonObject().put("username", "admin").put("password", ADMIN_PASSWORD).encode(),
            "https://127.0.0.1:" + node.httpsPort() + "/api/v1/login"));
  }

  private static String spkiSha256(CertificateAuthority.Issued issued) throws Exception {
    byte[] spki = issued.certificate().getPublicKey().getEncoded();
    return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(spki));
  }
}
