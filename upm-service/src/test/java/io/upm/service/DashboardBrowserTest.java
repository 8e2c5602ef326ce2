package io.upm.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in real headless Chromium (Debian's chromium and chromium-driver; .ci/run installs them): it loads,
 * each unit's heatmap has the 27 cells of the API's risk matrix with the same numbers and the worst cell marked, and a
 * live update arrives over the WebSocket. Screenshots go to target/screenshots/.
 */
class DashboardBrowserTest {
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestVenue v;
    private static ChromeDriver browser;

    @BeforeAll
    static void start() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(CHROMEDRIVER) && Files.isExecutable(Path.of("/usr/bin/chromium")),
            "chromium and chromium-driver are not installed (apt-get install chromium chromium-driver; .ci/run does it)");
        v = TestVenue.start("browser", TestVenue.generous(), true);
        ChromeOptions o = new ChromeOptions();
        o.setBinary("/usr/bin/chromium");
        o.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1500,1300");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort().build();
        browser = new ChromeDriver(service, o);
        Files.createDirectories(Path.of("target", "screenshots"));
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (v != null) {
            v.close();
        }
    }

    private static void screenshot(String name) throws Exception {
        Files.write(Path.of("target", "screenshots", name), browser.getScreenshotAs(OutputType.BYTES));
    }

    private static WebDriverWait waitUpTo(int seconds) {
        WebDriverWait w = new WebDriverWait(browser, Duration.ofSeconds(seconds));
        w.ignoring(org.openqa.selenium.StaleElementReferenceException.class); // the tables are re-rendered live
        return w;
    }

    @Test
    void theHeatmapShowsTheApisRiskMatrixAndALiveUpdateArrives() throws Exception {
        browser.get("about:blank");
        browser.get(v.base() + "/#key=" + v.viewer + "&account=alice");
        waitUpTo(15).until(d -> d.findElements(By.cssSelector("#accounts tbody tr")).size() >= 2);
        waitUpTo(15).until(d -> d.findElements(By.cssSelector("svg.heatmap rect.cell")).size() >= 27);
        screenshot("dashboard-account.png");

        // the API's report: what the heatmap must show, cell for cell
        JsonNode report = JSON.readTree(v.get("/v1/accounts/alice", v.viewer).body());
        JsonNode units = report.get("units");
        List<WebElement> maps = browser.findElements(By.cssSelector("svg.heatmap"));
        assertThat(maps).hasSize(units.size());
        for (Iterator<Map.Entry<String, JsonNode>> it = units.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> u = it.next();
            WebElement map = browser.findElement(By.cssSelector("svg.heatmap[data-unit='" + u.getKey() + "']"));
            List<WebElement> cells = map.findElements(By.cssSelector("rect.cell"));
            assertThat(cells).as(u.getKey()).hasSize(27);
            JsonNode pnl = u.getValue().get("pnl");
            for (WebElement cell : cells) {
                int j = Integer.parseInt(cell.getAttribute("data-j"));
                int s = Integer.parseInt(cell.getAttribute("data-v"));
                assertThat(Double.parseDouble(cell.getAttribute("data-pnl"))).as("%s pnl[%d][%d]", u.getKey(), j, s)
                    .isEqualTo(pnl.get(j).get(s).asDouble());
            }
            List<WebElement> worst = map.findElements(By.cssSelector("rect.cell.worst"));
            assertThat(worst).hasSize(1);
            JsonNode wc = u.getValue().get("worstCell");
            int j = Integer.parseInt(worst.get(0).getAttribute("data-j"));
            int s = Integer.parseInt(worst.get(0).getAttribute("data-v"));
            assertThat(u.getValue().get("priceMoves").get(j).asDouble()).isEqualTo(wc.get("priceMove").asDouble());
            assertThat(u.getValue().get("volStates").get(s).asText()).isEqualTo(wc.get("volState").asText());
            assertThat(-pnl.get(j).get(s).asDouble()).isEqualTo(u.getValue().get("worstLoss").asDouble());
        }
        assertThat(browser.findElement(By.id("acct-status")).getText()).isEqualTo(report.get("status").asText());
        assertThat(browser.findElements(By.cssSelector("#contributors tbody tr"))).hasSize(report.get("positions").size());
        assertThat(browser.findElements(By.cssSelector("#chart polyline"))).hasSize(2);

        // live: the stream is up; a deposit for bob changes his row, an over-leveraged account appears in the feed
        waitUpTo(10).until(d -> "live".equals(d.findElement(By.id("conn")).getText()));
        String before = browser.findElement(By.cssSelector("#accounts tr[data-account='bob'] td[data-field='equity']"))
            .getAttribute("data-value");
        String clock = v.service.engine().clock().get().orElseThrow().toString();
        JsonNode events = JSON.readTree(v.post("/v1/commands", v.operator, "[{\"type\":\"deposit\",\"time\":\"" + clock
            + "\",\"account\":\"bob\",\"asset\":\"USDC\",\"amount\":12345},{\"type\":\"deposit\",\"time\":\"" + clock
            + "\",\"account\":\"dave\",\"asset\":\"USDC\",\"amount\":10000},{\"type\":\"fill\",\"time\":\"" + clock
            + "\",\"account\":\"dave\",\"instrument\":\"BTC_USDC-PERPETUAL\",\"size\":2,\"price\":90000}]").body()).get("events");
        String bobEquity = null;
        for (JsonNode e : events) {
            if ("bob".equals(e.path("account").asText()) && "margin".equals(e.get("type").asText())) {
                bobEquity = e.get("equity").asText();
            }
        }
        assertThat(bobEquity).isNotNull().isNotEqualTo(before);
        String expected = bobEquity;
        waitUpTo(10).until(d -> expected.equals(Double.toString(Double.parseDouble(d.findElement(
            By.cssSelector("#accounts tr[data-account='bob'] td[data-field='equity']")).getAttribute("data-value")))));
        waitUpTo(10).until(d -> d.findElement(By.id("feed")).getText().contains("dave is now liquidation"));
        screenshot("dashboard-live-update.png");
    }

    @Test
    void aTraderKeyShowsOnlyItsAccountAndTheWhatIfFormAnswers() throws Exception {
        browser.get("about:blank");
        browser.get(v.base() + "/#key=" + v.alice + "&account=alice");
        waitUpTo(15).until(d -> d.findElements(By.cssSelector("svg.heatmap rect.cell")).size() >= 27);
        List<WebElement> rows = browser.findElements(By.cssSelector("#accounts tbody tr"));
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).getAttribute("data-account")).isEqualTo("alice");
        browser.findElement(By.id("wi-instrument")).sendKeys("BTC_USDC-25DEC26-60000-P");
        browser.findElement(By.id("wi-size")).sendKeys("5");
        browser.findElement(By.cssSelector("#whatif-form button")).click();
        waitUpTo(10).until(d -> !d.findElement(By.id("whatif-result")).getText().isEmpty());
        assertThat(browser.findElement(By.id("whatif-result")).getText()).contains("MM").containsAnyOf("accepted", "refused");
        screenshot("dashboard-trader-whatif.png");
        // bob's page by URL: the API answers 404 and the page says so
        browser.get("about:blank");
        browser.get(v.base() + "/#key=" + v.alice + "&account=bob");
        waitUpTo(10).until(d -> d.findElement(By.id("pick")).getText().contains("no such account"));
    }
}
