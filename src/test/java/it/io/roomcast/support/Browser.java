package it.io.roomcast.support;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.openqa.selenium.By;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A real headless Chromium (Debian's {@code chromium} and {@code chromium-driver}) driven by
 * Selenium, with a fresh profile each time. The driver path is given explicitly so that
 * Selenium Manager never downloads anything. Waits are bounded waits on page conditions.
 */
public final class Browser implements AutoCloseable {

    /** Long enough for a node restart plus the client's reconnect backoff. */
    public static final Duration SLOW_WAIT = Duration.ofSeconds(90);
    private static final Path SCREENSHOTS = Path.of("target/screenshots");
    private static final String CHROMIUM = "/usr/bin/chromium";
    private static final String CHROMEDRIVER = "/usr/bin/chromedriver";
    /**
     * Selenium warns on every session that it has no DevTools bindings for this Chromium
     * version; the tests use only WebDriver, so the warning is noise. Held here so that the
     * logger (and its level) is not garbage collected.
     */
    private static final Logger DEVTOOLS_LOG = quiet("org.openqa.selenium.devtools");
    private static final Logger CHROMIUM_LOG = quiet("org.openqa.selenium.chromium");

    private static Logger quiet(String name) {
        Logger logger = Logger.getLogger(name);
        logger.setLevel(Level.SEVERE);
        return logger;
    }

    private final ChromeDriver driver;
    private final Path profile;

    private Browser(ChromeDriver driver, Path profile) {
        this.driver = driver;
        this.profile = profile;
    }

    public static Browser open() throws IOException {
        Path profile = Files.createTempDirectory("roomcast-chromium");
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM).addArguments(
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--window-size=1280,900", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort().build();
        return new Browser(new ChromeDriver(service, options), profile);
    }

    public void get(URI page) {
        driver.get(page.toString());
    }

    /** The text of the element with {@code id}. */
    public String text(String id) {
        return driver.findElement(By.id(id)).getText();
    }

    public void type(String id, String text) {
        WebElement input = driver.findElement(By.id(id));
        input.clear();
        input.sendKeys(text);
    }

    public void click(String id) {
        driver.findElement(By.id(id)).click();
    }

    /**
     * Clicks the element {@code cssSelector} as soon as it exists, also when the page redraws
     * it between finding and clicking (the admin console redraws every second).
     */
    public void clickWhenPresent(String cssSelector) {
        new WebDriverWait(driver, WsClient.WAIT).withMessage(() -> "could not click " + cssSelector)
                .ignoring(NoSuchElementException.class).ignoring(StaleElementReferenceException.class)
                .until(d -> {
                    d.findElement(By.cssSelector(cssSelector)).click();
                    return true;
                });
    }

    /** Waits (10 s at most) until the element {@code cssSelector} shows {@code text}. */
    public void awaitText(String cssSelector, String text) {
        awaitText(cssSelector, text, WsClient.WAIT);
    }

    public void awaitText(String cssSelector, String text, Duration timeout) {
        new WebDriverWait(driver, timeout).withMessage(() -> cssSelector + " never showed '" + text + "'")
                .until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(cssSelector), text));
    }

    /** Waits until the demo page's connection state (the {@code state} element) is {@code state}. */
    public void awaitState(String state, Duration timeout) {
        new WebDriverWait(driver, timeout).withMessage(() -> "state never became " + state + "; it is " + text("state"))
                .until(ExpectedConditions.attributeToBe(By.id("state"), "data-state", state));
    }

    /** Waits until {@code script} (a function body) returns true in the page. */
    public void awaitScript(String script, Duration timeout) {
        new WebDriverWait(driver, timeout).withMessage(() -> "never true: " + script)
                .until(d -> Boolean.TRUE.equals(driver.executeScript(script)));
    }

    /** Runs {@code script} in the page; returns what it returns. */
    public Object script(String script, Object... args) {
        return driver.executeScript(script, args);
    }

    /** Saves a PNG of the page as {@code target/screenshots/NAME.png} for reviewers. */
    public Path screenshot(String name) throws IOException {
        Files.createDirectories(SCREENSHOTS);
        Path target = SCREENSHOTS.resolve(name + ".png");
        Files.copy(driver.getScreenshotAs(OutputType.FILE).toPath(), target, StandardCopyOption.REPLACE_EXISTING);
        return target;
    }

    @Override
    public void close() throws IOException {
        try {
            driver.quit();
        } finally {
            try (var paths = Files.walk(profile)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            } catch (IOException leftBehind) {
                // Chromium may still be writing its profile while it exits; a temp dir is harmless.
            }
        }
    }
}
