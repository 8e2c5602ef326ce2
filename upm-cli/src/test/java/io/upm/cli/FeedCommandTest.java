package io.upm.cli;

import static io.upm.cli.CliRunner.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.upm.cli.CliRunner.Run;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code upm feed} end to end on a small synthetic folder, its one-line errors, and on the real data when present. */
class FeedCommandTest {
    @TempDir
    static Path data;

    /** Made-up closes named like ../shared/data/market's files. */
    @BeforeAll
    static void writeData() throws IOException {
        Files.writeString(data.resolve("btc_usdt_binance_1d.csv"),
            "date,open,high,low,close,volume\n2021-01-01,1,1,1,29000.5,1\n2021-01-02,1,1,1,31000,1\n");
        Files.writeString(data.resolve("btc_usdt_binance_4h.csv"), "timestamp,open,high,low,close,volume\n"
            + "2021-01-01T16:00:00Z,1,1,1,28900,1\n2021-01-01T20:00:00Z,1,1,1,29000.5,1\n2021-01-02T00:00:00Z,1,1,1,29500,1\n");
        Files.writeString(data.resolve("btc_usd_coinbase_1d.csv"),
            "date,open,high,low,close,volume\n2021-01-01,1,1,1,29010.25,1\n2021-01-02,1,1,1,30990,1\n");
        Files.writeString(data.resolve("usdt_usd_kraken_1d.csv"), "date,close\n2021-01-01,1.0002\n2021-01-02,\n");
        Files.writeString(data.resolve("ustc_usd_yahoo_1d.csv"),
            "date,open,high,low,close,volume\n2021-01-02,1,1,1,0.998,5\n");
    }

    static String[] args(String... rest) {
        List<String> a = new ArrayList<>(List.of("feed", "--data", data.toString()));
        a.addAll(List.of(rest));
        return a.toArray(String[]::new);
    }

    @Test
    void printsOneQuoteCommandPerLineInTimeSourceAssetOrder() {
        Run r = run(args("--assets", "USDT,BTC,UST", "--from", "2021-01-01", "--to", "2021-01-02"));
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(r.out()).isEqualTo("""
            {"type":"quote","time":"2021-01-02T00:00:00Z","source":"binance","asset":"BTC","price":29000.5}
            {"type":"quote","time":"2021-01-02T00:00:00Z","source":"coinbase","asset":"BTC","price":29010.25}
            {"type":"quote","time":"2021-01-02T00:00:00Z","source":"kraken","asset":"USDT","price":1.0002}
            {"type":"quote","time":"2021-01-03T00:00:00Z","source":"binance","asset":"BTC","price":31000.0}
            {"type":"quote","time":"2021-01-03T00:00:00Z","source":"coinbase","asset":"BTC","price":30990.0}
            {"type":"quote","time":"2021-01-03T00:00:00Z","source":"yahoo","asset":"UST","price":0.998}
            """);
    }

    @Test
    void theIntervalSelectsTheBinanceBarsAndSourcesFilter() throws IOException {
        Run r = run(args("--assets", "BTC", "--from", "2021-01-01", "--to", "2021-01-01", "--interval", "4h",
            "--sources", "binance"));
        assertThat(r.status()).as(r.err()).isZero();
        ObjectMapper json = new ObjectMapper();
        List<String> times = new ArrayList<>();
        for (String line : r.out().strip().split("\n")) {
            JsonNode n = json.readTree(line);
            assertThat(n.get("type").asText()).isEqualTo("quote");
            assertThat(n.get("source").asText()).isEqualTo("binance");
            times.add(n.get("time").asText());
        }
        assertThat(times).containsExactly("2021-01-01T20:00:00Z", "2021-01-02T00:00:00Z");
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
        "--assets|BTC,DOGE|--assets: unknown asset \"DOGE\"",
        "--assets|SOL|--assets: no price series of SOL",
        "--sources|binance,ftx|--sources: unknown source \"ftx\"",
        "--from|2021-02-30|--from: not a date YYYY-MM-DD",
        "--to|2020-12-31|--from: 2021-01-01 is after the last day 2020-12-31",
        "--interval|15m|--interval: expected 1d, 4h, 2h or 1h",
        "--data|/nonexistent/market|--data: not a directory",
        "--from|2023-01-01|--from: no quotes of BTC"})
    void badOptionsExitWithStatusTwoAndOneLineNamingTheOption(String option, String value, String message) {
        List<String> a = new ArrayList<>(List.of("feed", "--data", option.equals("--data") ? value : data.toString(),
            "--assets", option.equals("--assets") ? value : "BTC",
            "--from", option.equals("--from") ? value : "2021-01-01",
            "--to", option.equals("--to") ? value : option.equals("--from") && value.startsWith("2023") ? "2023-12-31"
                : "2021-01-02"));
        if (option.equals("--sources") || option.equals("--interval")) {
            a.addAll(List.of(option, value));
        }
        Run r = run(a.toArray(String[]::new));
        assertThat(r.status()).isEqualTo(UpmCommand.BAD_INPUT);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).startsWith(message);
        assertThat(r.err().strip().lines()).hasSize(1);
    }

    @Test
    void aMalformedFileIsNamedWithItsLine(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("eth_usdt_binance_1d.csv"), "date,open,high,low,close,volume\n2021-01-01,1,1,1,-3,1\n");
        Run r = run("feed", "--data", dir.toString(), "--assets", "ETH", "--from", "2021-01-01", "--to", "2021-01-02");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err().strip()).endsWith("eth_usdt_binance_1d.csv:2:close: must be positive and finite: -3");
    }

    @Test
    void studyPrintsHowTheSourcesAgreedAndPlotsIt(@TempDir Path out) throws IOException {
        Path png = out.resolve("agreement.png");
        Run r = run(args("--assets", "BTC,USDT", "--from", "2021-01-01", "--to", "2021-01-02", "--study", "--plot",
            png.toString()));
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.err()).isEmpty();
        // day 1: 29000.5 and 29010.25, index their mean, each 0.017% away; day 2: 31000 and 30990, 0.016%
        assertThat(r.out()).contains("staleAfter PT36H, outlierBand 3.0%",
            "| BTC | binance | 2021-01-01 to 2021-01-02 | 2 | 0 | 2 | 0.016% | 0.017% | 0.017% (2021-01-01) |",
            "| BTC | coinbase | 2021-01-01 to 2021-01-02 | 2 | 0 | 2 | 0.016% | 0.017% | 0.017% (2021-01-01) |",
            "| USDT | kraken | 2021-01-01 to 2021-01-01 | 1 | 0 | 1 | 0.000% |",
            "| BTC | 2 | 2 | 0 | 0 | 29,005 | 30,995 |");
        assertThat(r.out()).doesNotContain("\"type\":\"quote\"");
        assertThat(Files.readAllBytes(png)).startsWith(0x89, 'P', 'N', 'G');
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "--plot x.png                      | --plot: only with --study",
        "--study --plot x.svg              | --plot: a .png file name",
        "--study --interval 4h             | --interval: the study replays daily closes (1d), not 4h",
        "--study --assets UST --sources yahoo --plot x.png | --plot: nothing to draw",
    })
    void studyErrorsNameTheOption(String extra, String message) {
        List<String> a = new ArrayList<>(List.of("feed", "--data", data.toString(), "--from", "2021-01-01", "--to",
            "2021-01-02"));
        if (!extra.contains("--assets")) {
            a.addAll(List.of("--assets", "BTC"));
        }
        a.addAll(List.of(extra.trim().split(" +")));
        Run r = run(a.toArray(String[]::new));
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).contains(message);
    }

    @Test
    void onTheRealDataTheDocumentedCommandRuns() throws IOException {
        Optional<Path> real = BacktestCommandTest.realData();
        Assumptions.assumeTrue(real.isPresent(), "skipped: real market data not found (shared/data/market next to the "
            + "repository; see SOURCES.md there)");
        Run r = run("feed", "--data", real.get().toString(), "--assets", "BTC,ETH,USDT,USDC,DAI,UST", "--from",
            "2022-05-01", "--to", "2022-05-31");
        assertThat(r.status()).as(r.err()).isZero();
        List<String> lines = r.out().lines().toList();
        // BTC and ETH: Binance and Coinbase; USDT, USDC, DAI, UST: Yahoo; 31 days each
        assertThat(lines).hasSize(31 * 8);
        assertThat(lines.get(0)).startsWith("{\"type\":\"quote\",\"time\":\"2022-05-02T00:00:00Z\",\"source\":\"binance\",\"asset\":\"BTC\"");
        assertThat(lines).filteredOn(l -> l.contains("\"asset\":\"UST\"") && l.contains("2022-05-14T00:00:00Z")).singleElement()
            .satisfies(l -> assertThat(new ObjectMapper().readTree(l).get("price").asDouble()).isLessThan(0.5));
    }
}
