package io.upm.cli;

import static io.upm.cli.CliRunner.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.upm.cli.CliRunner.Run;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Locale;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code upm backtest} end to end on a synthetic data folder: outputs, the plot and the one-line errors. */
class BacktestCommandTest {
    static final int DAYS = 400;
    static final LocalDate START = LocalDate.of(2021, 1, 1);

    @TempDir
    static Path data;

    /** Seeded random walks for BTC, ETH, SOL from 2021-01-01 and a constant DVOL, as CSV files. */
    @BeforeAll
    static void writeData() throws IOException {
        String[][] files = {{"btc_usdt_binance_1d.csv", "50000"}, {"eth_usdt_binance_1d.csv", "3000"},
            {"sol_usdt_binance_1d.csv", "100"}};
        SplittableRandom rnd = new SplittableRandom(2024);
        for (String[] f : files) {
            StringBuilder b = new StringBuilder("date,open,high,low,close,volume\n");
            double c = Double.parseDouble(f[1]);
            for (int i = 0; i < DAYS; i++) {
                b.append(String.format(Locale.ROOT, "%s,%.4f,%.4f,%.4f,%.4f,10%n", START.plusDays(i), c, c, c, c));
                c *= Math.exp(0.03 * (rnd.nextDouble() - 0.5) * 3.46);
            }
            Files.writeString(data.resolve(f[0]), b.toString());
        }
        for (String f : new String[] {"btc_dvol_deribit_1d.csv", "eth_dvol_deribit_1d.csv"}) {
            StringBuilder b = new StringBuilder("date,open,high,low,close\n");
            for (int i = 0; i < DAYS; i++) {
                b.append(START.plusDays(i)).append(",60,60,60,60\n");
            }
            Files.writeString(data.resolve(f), b.toString());
        }
    }

    static String[] args(String... rest) {
        String[] base = {"backtest", "--data", data.toString()};
        String[] all = new String[base.length + rest.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(rest, 0, all, base.length, rest.length);
        return all;
    }

    @Test
    void theJsonReportHasTheFieldsOfTheIssue() throws IOException {
        Run r = run(args("--strategy", "short-straddle", "--from", "2021-03-01", "--to", "2022-01-31", "--format", "json"));
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.err()).isEmpty(); // no terminal in a test: no progress bar
        JsonNode n = new ObjectMapper().readTree(r.out());
        assertThat(n.get("strategy").asText()).isEqualTo("short-straddle");
        assertThat(n.get("model").asText()).isEqualTo("matrix");
        assertThat(n.get("days").asInt()).isEqualTo(337);
        for (String f : new String[] {"breaches", "coverage", "kupiecPValue", "christoffersenPValue", "trafficLight",
            "averageMargin", "medianMargin", "maxMargin", "averageStandardMargin", "marginToLossQuantile", "worstDays",
            "procyclicality"}) {
            assertThat(n.has(f)).as(f).isTrue();
        }
        assertThat(n.get("averageMargin").asDouble()).isLessThan(n.get("averageStandardMargin").asDouble());
    }

    @Test
    void theTableIsTheDefaultAndThePlotIsWritten(@TempDir Path out) throws IOException {
        Path png = out.resolve("bt.png");
        Run r = run(args("--strategy", "long-perp", "--from", "2021-02-01", "--to", "2021-12-31", "--plot", png.toString()));
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("Backtest of long-perp with model matrix").contains("traffic light");
        assertThat(Files.size(png)).isGreaterThan(10_000);
    }

    @Test
    void aPortfolioFileIsHeldWithFixedSizes(@TempDir Path dir) throws IOException {
        Path p = dir.resolve("pair.json");
        Files.writeString(p, """
            {"account": "pair", "balances": {"USDC": 100000},
             "positions": [{"instrument": "BTC_USDC-PERPETUAL", "size": 2, "entryPrice": 50000},
                           {"instrument": "ETH_USDC-PERPETUAL", "size": -30, "entryPrice": 3000}]}
            """);
        Run r = run(args("--portfolio", p.toString(), "--from", "2021-06-01", "--to", "2021-12-31", "--format", "json",
            "--model", "matrix"));
        assertThat(r.status()).as(r.err()).isZero();
        JsonNode n = new ObjectMapper().readTree(r.out());
        assertThat(n.get("strategy").asText()).isEqualTo("pair");
        assertThat(n.get("days").asInt()).isEqualTo(214);
    }

    @Test
    void theModelIsSelectedByTheParametersFileOrTheCommandLine(@TempDir Path dir) throws IOException {
        Path params = dir.resolve("x.yaml");
        Files.writeString(params, "assets:\n  BTC: { scanRange: 0.08 }\nbacktest:\n  model: matrix-vol\n");
        Run r = run(args("--strategy", "long-perp", "--from", "2021-03-01", "--to", "2021-12-31", "--format", "json",
            "--params", params.toString()));
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(new ObjectMapper().readTree(r.out()).get("model").asText()).isEqualTo("matrix-vol");
        Run c = run(args("--strategy", "long-perp", "--from", "2021-03-01", "--to", "2021-12-31", "--format", "json",
            "--params", params.toString(), "--model", "matrix"));
        JsonNode n = new ObjectMapper().readTree(c.out());
        assertThat(n.get("model").asText()).isEqualTo("matrix");
        assertThat(n.get("averageMargin").asDouble()).isEqualTo(90_000.0); // R 8% + roll shock 1% of 1M
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "--from|2021-13-01|--from: not a date",
        "--to|2021-02-30|--to: not a date",
        "--strategy|iron-butterfly|--strategy: unknown strategy \"iron-butterfly\"",
        "--model|garch-only|--model: unknown margin model",
        "--horizon|0d|--horizon: expected a number of days",
        "--horizon|5h|--horizon: expected a number of days from 1d to 365d, or an intraday bar 1h, 2h or 4h",
        "--carry|curved|--carry: expected flat or real",
        "--plot|chart.pdf|--plot: the file must end in .png or .svg"})
    void badOptionsExitWithStatusTwoAndOneLineNamingTheOption(String option, String value, String message) {
        String strategy = option.equals("--strategy") ? value : "long-perp";
        String from = option.equals("--from") ? value : "2021-03-01";
        String to = option.equals("--to") ? value : "2021-06-01";
        java.util.List<String> a = new java.util.ArrayList<>(java.util.List.of(args("--strategy", strategy, "--from", from,
            "--to", to)));
        if (!option.equals("--strategy") && !option.equals("--from") && !option.equals("--to")) {
            a.add(option);
            a.add(value);
        }
        Run r = run(a.toArray(String[]::new));
        assertThat(r.status()).isEqualTo(UpmCommand.BAD_INPUT);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).startsWith(message);
        assertThat(r.err().strip().lines()).hasSize(1);
    }

    @Test
    void aLongHorizonWorksForTheMatrixButNotBeyondWhatFhsAllows() throws IOException {
        Run matrix = run(args("--strategy", "long-perp", "--from", "2021-03-01", "--to", "2021-12-31", "--horizon", "45d",
            "--format", "json"));
        assertThat(matrix.status()).as(matrix.err()).isZero();
        assertThat(new ObjectMapper().readTree(matrix.out()).get("horizonDays").asInt()).isEqualTo(45);
        Run fhs = run(args("--strategy", "long-perp", "--from", "2021-03-01", "--to", "2021-12-31", "--horizon", "45d",
            "--model", "fhs"));
        assertThat(fhs.status()).isEqualTo(2);
        assertThat(fhs.err()).startsWith("--horizon: must be an integer in [1, 30]");
    }

    @Test
    void intradayHorizonsScanCoverageAndRealCarry(@TempDir Path dir) throws IOException {
        // 4h bars of BTC whose last bar of each day closes at the daily close
        java.util.List<String> days = Files.readAllLines(data.resolve("btc_usdt_binance_1d.csv"));
        StringBuilder b = new StringBuilder("timestamp,open,high,low,close,volume\n");
        for (String line : days.subList(1, days.size())) {
            String[] f = line.split(",");
            double c = Double.parseDouble(f[4]);
            for (int k = 0; k < 6; k++) {
                double close = k == 5 ? c : c * (1 + 0.003 * (k - 2));
                b.append(String.format(Locale.ROOT, "%sT%02d:00:00Z,%.4f,%.4f,%.4f,%.4f,1%n", f[0], 4 * k, close, close,
                    close, close));
            }
        }
        for (String f : new String[] {"btc_usdt_binance_1d.csv", "eth_usdt_binance_1d.csv", "sol_usdt_binance_1d.csv",
            "btc_dvol_deribit_1d.csv", "eth_dvol_deribit_1d.csv"}) {
            Files.copy(data.resolve(f), dir.resolve(f));
        }
        Files.writeString(dir.resolve("btc_usdt_binance_4h.csv"), b.toString());
        Run r = run("backtest", "--data", dir.toString(), "--strategy", "long-perp", "--from", "2021-03-01", "--to",
            "2021-03-31", "--horizon", "4h", "--format", "json");
        assertThat(r.status()).as(r.err()).isZero();
        JsonNode n = new ObjectMapper().readTree(r.out());
        assertThat(n.get("horizonHours").asInt()).isEqualTo(4);
        assertThat(n.get("days").asInt()).isEqualTo(31 * 6);
        assertThat(n.get("worstDays").get(0).has("time")).isTrue();
        assertThat(n.has("procyclicality")).isFalse();
        Run fhs = run("backtest", "--data", dir.toString(), "--strategy", "long-perp", "--from", "2021-03-01", "--to",
            "2021-03-31", "--horizon", "4h", "--model", "fhs");
        assertThat(fhs.status()).isEqualTo(2);
        assertThat(fhs.err()).startsWith("--model: an intraday horizon (4h) is backtested with the static matrix only");
        Run cov = run("backtest", "--data", dir.toString(), "--scan-coverage", "--from", "2021-03-01", "--to",
            "2021-12-31", "--horizon", "4h", "--scan-ranges", "0.002,0.004,0.01", "--format", "json");
        assertThat(cov.status()).as(cov.err()).isZero();
        JsonNode c = new ObjectMapper().readTree(cov.out());
        assertThat(c.get("assets")).hasSize(1); // only BTC has 4h bars here
        JsonNode ranges = c.get("assets").get(0).get("ranges");
        assertThat(ranges.get(0).get("coverage").asDouble()).isLessThanOrEqualTo(ranges.get(1).get("coverage").asDouble());
        assertThat(ranges.get(1).get("coverage").asDouble()).isLessThanOrEqualTo(ranges.get(2).get("coverage").asDouble());
        Run carry = run("backtest", "--data", dir.toString(), "--strategy", "cash-and-carry", "--from", "2021-03-01",
            "--to", "2021-03-31", "--carry", "real");
        assertThat(carry.status()).isEqualTo(2);
        assertThat(carry.err()).contains("btc_funding_binance_usdtperp_8h.csv").contains("file not found");
        assertThat(carry.err().strip().lines()).hasSize(1);
    }

    @Test
    void aReversedOrOutOfDataRangeIsBadInput() {
        Run reversed = run(args("--strategy", "long-perp", "--from", "2021-06-01", "--to", "2021-03-01"));
        assertThat(reversed.status()).isEqualTo(2);
        assertThat(reversed.err()).startsWith("--from: 2021-06-01 is after --to 2021-03-01");
        Run outside = run(args("--strategy", "long-perp", "--from", "2020-06-01", "--to", "2021-03-01"));
        assertThat(outside.status()).isEqualTo(2);
        assertThat(outside.err()).startsWith("--from: 2020-06-01 is outside the data (2021-01-01 to 2022-02-04)");
        Run after = run(args("--strategy", "long-perp", "--from", "2021-06-01", "--to", "2023-03-01"));
        assertThat(after.err()).startsWith("--to: 2023-03-01 is outside the data");
    }

    @Test
    void aMissingDataFolderOrFileIsNamed(@TempDir Path empty) throws IOException {
        Run none = run("backtest", "--data", empty.resolve("nope").toString(), "--strategy", "long-perp", "--from",
            "2021-03-01", "--to", "2021-06-01");
        assertThat(none.status()).isEqualTo(2);
        assertThat(none.out()).isEmpty();
        assertThat(none.err()).isEqualTo("upm: data folder " + empty.resolve("nope")
            + ": cannot read (No such file or directory)" + System.lineSeparator());
        Path file = Files.writeString(empty.resolve("file.csv"), "x");
        Run notDir = run("backtest", "--data", file.toString(), "--strategy", "long-perp", "--from", "2021-03-01", "--to",
            "2021-06-01");
        assertThat(notDir.err()).isEqualTo("upm: data folder " + file + ": cannot read (Not a directory)"
            + System.lineSeparator());
        Files.delete(file);
        Files.copy(data.resolve("btc_usdt_binance_1d.csv"), empty.resolve("btc_usdt_binance_1d.csv"));
        Run missing = run("backtest", "--data", empty.toString(), "--strategy", "long-perp", "--from", "2021-03-01",
            "--to", "2021-06-01");
        assertThat(missing.status()).isEqualTo(2);
        assertThat(missing.err()).contains("eth_usdt_binance_1d.csv").contains("file not found");
        assertThat(missing.err().strip().lines()).hasSize(1);
    }

    @Test
    void aMissingParamsOrPortfolioFileIsNamedByItsRole(@TempDir Path dir) {
        String nope = dir.resolve("nope.yaml").toString();
        String missing = ": cannot read (No such file or directory)" + System.lineSeparator();
        Run params = run(args("--strategy", "long-perp", "--from", "2021-03-01", "--to", "2021-06-01", "--params", nope));
        assertThat(params.status()).isEqualTo(2);
        assertThat(params.err()).isEqualTo("upm: params file " + nope + missing);
        Run settings = run(args("--strategy", "long-perp", "--from", "2021-03-01", "--to", "2021-06-01",
            "--backtest-params", nope));
        assertThat(settings.err()).isEqualTo("upm: backtest params file " + nope + missing);
        Run portfolio = run(args("--portfolio", nope, "--from", "2021-03-01", "--to", "2021-06-01"));
        assertThat(portfolio.status()).isEqualTo(2);
        assertThat(portfolio.out()).isEmpty();
        assertThat(portfolio.err()).isEqualTo("upm: portfolio file " + nope + missing);
    }

    @Test
    void neitherOrBothOfStrategyAndPortfolioIsAUsageError() {
        Run neither = run(args("--from", "2021-03-01", "--to", "2021-06-01"));
        assertThat(neither.status()).isEqualTo(2);
        assertThat(neither.err()).contains("--portfolio").contains("--strategy");
        Run both = run(args("--strategy", "long-perp", "--portfolio", "x.json", "--from", "2021-03-01", "--to",
            "2021-06-01"));
        assertThat(both.status()).isEqualTo(2);
    }

    @Test
    void onTheRealDataTheDocumentedCommandRuns() throws IOException {
        Optional<Path> real = realData();
        Assumptions.assumeTrue(real.isPresent(), "skipped: real market data not found (shared/data/market next to the "
            + "repository; see SOURCES.md there)");
        Run r = run("backtest", "--data", real.get().toString(), "--strategy", "btc-eth-hedge", "--from", "2021-04-01",
            "--to", "2025-02-28", "--format", "json");
        assertThat(r.status()).as(r.err()).isZero();
        JsonNode n = new ObjectMapper().readTree(r.out());
        assertThat(n.get("days").asInt()).isEqualTo(1429);
        assertThat(n.get("coverage").asDouble()).isGreaterThanOrEqualTo(0.99);
    }

    static Optional<Path> realData() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path c = p.resolve("shared/data/market");
            if (Files.isRegularFile(c.resolve("btc_usdt_binance_1d.csv"))) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }
}
