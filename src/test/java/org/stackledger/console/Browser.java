package org.stackledger.console;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's chromium driven headless through its chromedriver (installed by {@code .ci/run}), one per
 * test class. {@link #signIn} is the one place the browser signs in: through the console's
 * {@code /signin} to the identity endpoint's sign-in page and back, the authorization-code flow.
 */
final class Browser implements AutoCloseable {
  static final Path SCREENSHOTS = Path.of("target", "screenshots");
  private final ChromeDriver driver;
  private final Path profile;
  private final String base;

  Browser(String consoleUrl) throws IOException {
    this.base = consoleUrl.endsWith("/") ? consoleUrl.substring(0, consoleUrl.length() - 1) : consoleUrl;
    this.profile = Files.createTempDirectory("console-chromium");
    ChromeOptions options = new ChromeOptions().setBinary("/usr/bin/chromium").addArguments("--headless=new",
        "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--user-data-dir=" + profile, "--ignore-certificate-errors", "--window-size=1280,800");
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(Path.of("/usr/bin/chromedriver").toFile()).usingAnyFreePort().build();
    this.driver = new ChromeDriver(service, options);
    driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
    driver.manage().window().setSize(new Dimension(1280, 800));
  }

  static boolean available() {
    return Files.isExecutable(Path.of("/usr/bin/chromium")) && Files.isExecutable(Path.of("/usr/bin/chromedriver"));
  }

  WebDriver driver() {
    return driver;
  }

  /** Opens a console path. */
  Browser open(String path) {
    driver.get(base + path);
    return this;
  }

  /**
   * Signs in (after signing out of any session) at the directory {@code tenant}: the console sends the
   * browser to the identity endpoint's sign-in page, which is filled and submitted, and the flow comes
   * back to the console's {@code returnTo}.
   */
  Browser signIn(String tenant, String user, String password, String returnTo) {
    startSignIn(tenant, returnTo);
    driver.findElement(By.id("username")).sendKeys(user);
    driver.findElement(By.id("password")).sendKeys(password);
    driver.findElement(By.id("signin")).click();
    new org.openqa.selenium.support.ui.WebDriverWait(driver, Duration.ofSeconds(15))
        .until(d -> d.getCurrentUrl().startsWith(base) && !d.getCurrentUrl().contains("/signin"));
    return this;
  }

  /** Opens the console's sign-in, which lands on the identity endpoint's sign-in page. */
  Browser startSignIn(String tenant, String returnTo) {
    driver.manage().deleteAllCookies();
    open("/signin?tenant=" + java.net.URLEncoder.encode(tenant, java.nio.charset.StandardCharsets.UTF_8) + "&returnTo="
        + java.net.URLEncoder.encode(returnTo, java.nio.charset.StandardCharsets.UTF_8));
    new org.openqa.selenium.support.ui.WebDriverWait(driver, Duration.ofSeconds(15))
        .until(d -> !d.findElements(By.id("signin")).isEmpty());
    return this;
  }

  /** Clicks a submit button and waits for the page it leads to. */
  Browser submit(By button) {
    WebElement page = driver.findElement(By.tagName("html"));
    driver.findElement(button).click();
    // The old page is gone once its root cannot be asked any more (chromium reports it as stale or, while the new
    // document replaces it, as a node of no document), and the new one has loaded.
    new org.openqa.selenium.support.ui.WebDriverWait(driver, Duration.ofSeconds(15)).until(d -> {
      try {
        page.isEnabled();
        return false;
      } catch (org.openqa.selenium.WebDriverException gone) {
        return "complete".equals(((org.openqa.selenium.JavascriptExecutor) d).executeScript("return document.readyState"));
      }
    });
    return this;
  }

  /** A console path fetched by the page's own script, with the session's cookie: a download's text. */
  String fetch(String path) {
    return (String) ((org.openqa.selenium.JavascriptExecutor) driver).executeAsyncScript(
        "var done = arguments[arguments.length - 1]; fetch(arguments[0]).then(r => r.text()).then(done);", path);
  }

  String title() {
    return driver.findElement(By.tagName("h1")).getText();
  }

  String text() {
    return driver.findElement(By.tagName("main")).getText();
  }

  WebElement find(By by) {
    return driver.findElement(by);
  }

  /** Saves the page as {@code target/screenshots/<name>.png}, at the window's size. */
  Browser screenshot(String name) {
    try {
      Files.createDirectories(SCREENSHOTS);
      Files.write(SCREENSHOTS.resolve(name + ".png"), driver.getScreenshotAs(OutputType.BYTES));
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A phone's width (390 px), the page loaded again at it. */
  Browser narrow() {
    driver.manage().window().setSize(new Dimension(390, 844));
    driver.navigate().refresh();
    return this;
  }

  Browser wide() {
    driver.manage().window().setSize(new Dimension(1280, 800));
    return this;
  }

  @Override
  public void close() throws IOException {
    try {
      driver.quit();
    } finally {
      try (var files = Files.walk(profile)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
