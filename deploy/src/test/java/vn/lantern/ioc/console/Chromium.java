package vn.lantern.ioc.console;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;
import vn.lantern.deploy.testing.TestNode;

/**
 * Debian's headless Chromium driven by its chromedriver (never a downloaded browser), with the
 * helpers the console tests share: sign in, wait for an element, resize the viewport.
 */
final class Chromium implements AutoCloseable {
  private static final File BINARY = new File("/usr/bin/chromium");
  private static final File DRIVER = new File("/usr/bin/chromedriver");
  static final Duration WAIT = Duration.ofSeconds(15);

  final ChromeDriver driver;
  private final String base;

  private Chromium(ChromeDriver driver, String base) {
    this.driver = driver;
    this.base = base;
  }

  /**
   * Starts a browser for the console at {@code base} (e.g. {@code http://127.0.0.1:1234}), once the
   * console on the classpath is known to be this tree's.
   */
  static Chromium start(Path profile, String base) {
    assertTrue(
        BINARY.canExecute() && DRIVER.canExecute(),
        "headless Chromium is missing: install the Debian packages chromium and chromium-driver"
            + " (./lantern test installs them when run as root)");
    ConsoleSources.assertBuiltFromTheTree();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(BINARY);
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--hide-scrollbars",
        "--window-size=1920,1080",
        "--user-data-dir=" + profile);
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    ChromeDriverService service =
        new ChromeDriverService.Builder().usingDriverExecutable(DRIVER).usingAnyFreePort().build();
    return new Chromium(new ChromeDriver(service, options), base);
  }

  WebDriverWait waiting() {
    return new WebDriverWait(driver, WAIT);
  }

  WebElement await(String css) {
    return waiting().until(d -> d.findElement(By.cssSelector(css)));
  }

  /**
   * Replaces a text field's content by keys, as a person does. WebDriver's {@code clear()} fires no
   * input event, so the console's form state keeps the old text and puts it back on its next
   * re-render, before or between the keys that follow.
   */
  static void retype(WebElement field, String text) {
    field.sendKeys(Keys.chord(Keys.CONTROL, "a"), text);
  }

  /** Opens a console page and signs in as the admin when the login form shows. */
  void signIn(String path) {
    driver.get(base + path);
    waiting()
        .until(
            d ->
                !d.findElements(By.id("username")).isEmpty()
                    || !d.findElements(By.cssSelector("[data-view]")).isEmpty());
    if (!driver.findElements(By.id("username")).isEmpty()) {
      submitLogin();
    }
    await("[data-view]");
  }

  void submitLogin() {
    driver.findElement(By.id("username")).sendKeys("admin");
    driver.findElement(By.id("password")).sendKeys(TestNode.ADMIN_PASSWORD);
    driver.findElement(By.cssSelector("form.login button[type=submit]")).click();
  }

  /** Sets the viewport (not the window) to exactly {@code width} × {@code height} CSS pixels. */
  void viewport(int width, int height) {
    driver.executeCdpCommand(
        "Emulation.setDeviceMetricsOverride",
        Map.of("width", width, "height", height, "deviceScaleFactor", 1, "mobile", false));
    driver.manage().window().setSize(new Dimension(width, height));
  }

  Object script(String js, Object... args) {
    return driver.executeScript(js, args);
  }

  List<LogEntry> errors() {
    return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
        .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
        .toList();
  }

  @Override
  public void close() {
    driver.quit();
  }
}
