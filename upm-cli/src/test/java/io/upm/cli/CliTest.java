package io.upm.cli;

import static io.upm.cli.CliRunner.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.upm.cli.CliRunner.Run;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The CLI end to end, in-process: outputs, exit statuses and the one-line error contract. */
class CliTest {
    static final Path EXAMPLES = Path.of("..", "examples");
    static final String MARKET = EXAMPLES.resolve("market.json").toString();

    static Stream<Path> examplePortfolios() throws IOException {
        return Files.list(EXAMPLES.resolve("portfolios")).sorted();
    }

    @ParameterizedTest
    @MethodSource("examplePortfolios")
    void everyExamplePortfolioGivesAReportInBothFormats(Path portfolio) throws IOException {
        Run json = run("margin", "--market", MARKET, "--portfolio", portfolio.toString(), "--format", "json");
        assertThat(json.status()).as(json.err()).isZero();
        assertThat(json.err()).isEmpty();
        JsonNode report = new ObjectMapper().readTree(json.out());
        double mm = report.get("maintenanceMargin").asDouble();
        assertThat(report.get("initialMargin").asDouble()).isCloseTo(1.25 * mm, org.assertj.core.data.Offset.offset(1e-6 * (1 + mm)));
        assertThat(report.get("account").asText()).isEqualTo(portfolio.getFileName().toString().replace(".json", ""));
        Run table = run("margin", "--market", MARKET, "--portfolio", portfolio.toString());
        assertThat(table.status()).isZero();
        assertThat(table.out()).contains("maintenance margin").contains("Across units");
    }

    @Test
    void hedgingTheStrangleLowersTheRequirement() throws IOException {
        ObjectMapper om = new ObjectMapper();
        double naked = om.readTree(run("margin", "--market", MARKET, "--portfolio",
            EXAMPLES.resolve("portfolios/naked-short-strangle.json").toString(), "--format", "json").out())
            .get("maintenanceMargin").asDouble();
        double hedged = om.readTree(run("margin", "--market", MARKET, "--portfolio",
            EXAMPLES.resolve("portfolios/hedged-iron-condor.json").toString(), "--format", "json").out())
            .get("maintenanceMargin").asDouble();
        assertThat(hedged).isLessThan(0.7 * naked);
    }

    @Test
    void whatIfReportsBeforeAfterAndAcceptance() throws IOException {
        Run r = run("whatif", "--market", MARKET, "--portfolio",
            EXAMPLES.resolve("portfolios/naked-short-strangle.json").toString(), "--add", "BTC-25DEC26-125000-C:10",
            "--add", "BTC-25DEC26-65000-P:10", "--format", "json");
        assertThat(r.status()).as(r.err()).isZero();
        JsonNode w = new ObjectMapper().readTree(r.out());
        double before = w.get("before").get("maintenanceMargin").asDouble();
        double after = w.get("after").get("maintenanceMargin").asDouble();
        assertThat(after).isLessThan(before);
        assertThat(w.get("change").get("maintenanceMargin").asDouble()).isCloseTo(after - before,
            org.assertj.core.data.Offset.offset(1e-6));
        assertThat(w.get("accepted").asBoolean()).isTrue();
        assertThat(w.get("after").get("positions")).hasSize(4);
    }

    @Test
    void whatIfRejectsAnOrderThatLeavesTheAccountShort() throws IOException {
        Run r = run("whatif", "--market", MARKET, "--portfolio",
            EXAMPLES.resolve("portfolios/naked-short-strangle.json").toString(), "--add", "BTC-25DEC26-90000-C:-500",
            "--format", "json");
        assertThat(r.status()).as(r.err()).isZero();
        JsonNode w = new ObjectMapper().readTree(r.out());
        assertThat(w.get("accepted").asBoolean()).isFalse();
        assertThat(w.get("reason").asText()).contains("rejected");
    }

    static Stream<Arguments> badInputs() {
        String p = EXAMPLES.resolve("portfolios/covered-call.json").toString();
        String bad = EXAMPLES.resolve("bad/bad-expiry.json").toString();
        return Stream.of(
            Arguments.of(new String[] {"margin", "--market", MARKET, "--portfolio", bad}, "bad-expiry.json: positions[1].instrument"),
            Arguments.of(new String[] {"margin", "--market", MARKET, "--portfolio", "no-such-file.json"},
                "upm: portfolio file no-such-file.json: cannot read (No such file or directory)"),
            Arguments.of(new String[] {"margin", "--market", MARKET, "--portfolio", p, "--format", "xml"}, "--format"),
            Arguments.of(new String[] {"margin", "--market", MARKET}, "--portfolio"),
            Arguments.of(new String[] {"whatif", "--market", MARKET, "--portfolio", p, "--add", "BTC-PERPETUAL"}, "--add: add[0]"),
            Arguments.of(new String[] {"whatif", "--market", MARKET, "--portfolio", p, "--add", "BTC-PERPETUAL:abc"}, "add[0].size"),
            Arguments.of(new String[] {"whatif", "--market", MARKET, "--portfolio", p, "--add", "BTC-PERPETUAL:NaN"}, "add[0].size"),
            Arguments.of(new String[] {"whatif", "--market", MARKET, "--portfolio", p, "--add", "BTC-PERPETUAL:1e400"}, "add[0].size"),
            Arguments.of(new String[] {"whatif", "--market", MARKET, "--portfolio", p, "--add", "BTC-PERPETUAL:100:-5"}, "add[0].price"),
            Arguments.of(new String[] {"whatif", "--market", MARKET, "--portfolio", p, "--add", "DOGE-PERPETUAL:100"}, "add[0]"),
            Arguments.of(new String[] {"whatif", "--market", MARKET, "--portfolio", p, "--add", "BTC-27NOV20-90000-C:1"}, "expired"),
            Arguments.of(new String[] {"bench", "--accounts", "0"}, "--accounts"));
    }

    @ParameterizedTest
    @MethodSource("badInputs")
    void badInputExitsTwoWithOneLineNamingTheFieldAndNothingOnStdout(String[] args, String expected) {
        Run r = run(args);
        assertThat(r.status()).as(r.err()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).contains(expected);
        assertThat(r.err().strip().lines().count()).as(r.err()).isEqualTo(1);
    }

    static Stream<Arguments> unreadableFiles() {
        String p = EXAMPLES.resolve("portfolios/covered-call.json").toString();
        String nope = EXAMPLES.resolve("nope.json").toString();
        String dir = EXAMPLES.resolve("portfolios").toString();
        String missing = ": cannot read (No such file or directory)";
        return Stream.of(
            Arguments.of(new String[] {"margin", "--market", nope, "--portfolio", p}, "upm: market file " + nope + missing),
            Arguments.of(new String[] {"margin", "--market", MARKET, "--portfolio", nope}, "upm: portfolio file " + nope + missing),
            Arguments.of(new String[] {"margin", "--market", MARKET, "--portfolio", p, "--params", nope},
                "upm: params file " + nope + missing),
            Arguments.of(new String[] {"margin", "--market", MARKET, "--portfolio", dir},
                "upm: portfolio file " + dir + ": cannot read (Is a directory)"),
            Arguments.of(new String[] {"whatif", "--market", nope, "--portfolio", p, "--add", "BTC-PERPETUAL:100"},
                "upm: market file " + nope + missing),
            Arguments.of(new String[] {"whatif", "--market", MARKET, "--portfolio", p, "--add", "BTC-PERPETUAL:100",
                "--params", nope}, "upm: params file " + nope + missing));
    }

    @ParameterizedTest
    @MethodSource("unreadableFiles")
    void anUnreadableFileIsNamedByItsRoleAndPath(String[] args, String line) {
        Run r = run(args);
        assertThat(r.status()).isEqualTo(UpmCommand.BAD_INPUT);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEqualTo(line + System.lineSeparator());
    }

    @Test
    void withoutACommandTheUsageGoesToStderrWithStatusTwo() {
        Run r = run();
        assertThat(r.status()).isEqualTo(UpmCommand.BAD_INPUT);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).startsWith("Usage: upm [-hV] [COMMAND]" + System.lineSeparator())
            .contains("margin ").contains("whatif ").contains("backtest ");
        Run help = run("--help");
        assertThat(help.status()).isZero();
        assertThat(help.err()).isEmpty();
        assertThat(help.out()).startsWith("Usage: upm [-hV] [COMMAND]");
    }

    @ParameterizedTest
    @MethodSource("examplePortfolios")
    void theTableStartsWithTheExcessOrShortfallAndFitsIn120Columns(Path portfolio) throws IOException {
        JsonNode json = new ObjectMapper().readTree(run("margin", "--market", MARKET, "--portfolio", portfolio.toString(),
            "--format", "json").out());
        double equity = json.get("equity").asDouble();
        double im = json.get("initialMargin").asDouble();
        double mm = json.get("maintenanceMargin").asDouble();
        String expected = equity >= im ? "Excess over initial margin: " + ReportTable.down(equity - im) + " USD"
            : "SHORTFALL below initial margin: " + ReportTable.up(im - equity) + " USD"
              + (equity < mm ? ", below maintenance margin: " + ReportTable.up(mm - equity) + " USD" : "");
        Run table = run("margin", "--market", MARKET, "--portfolio", portfolio.toString());
        assertThat(table.status()).isZero();
        assertThat(table.out().lines().findFirst()).contains(expected);
        assertThat(table.out().lines()).allSatisfy(l -> assertThat(l.length()).as(l).isLessThanOrEqualTo(120));
        assertThat(table.out()).doesNotContainPattern("\\d[eE][-+]?\\d");
    }

    @Test
    void theDistressedAccountLeadsWithItsShortfall() {
        Run r = run("margin", "--market", MARKET, "--portfolio", EXAMPLES.resolve("portfolios/distressed.json").toString());
        assertThat(r.out().lines().findFirst().orElseThrow()).startsWith("SHORTFALL below initial margin: ")
            .contains(", below maintenance margin: ");
        assertThat(r.out().lines().skip(1).findFirst().orElseThrow()).contains(": LIQUIDATION");
    }

    @Test
    void theWhatIfTableStatesTheVerdictOnceAndNoTinyNumbers() {
        Run r = run("whatif", "--market", MARKET, "--portfolio",
            EXAMPLES.resolve("portfolios/naked-short-strangle.json").toString(), "--add", "BTC-25DEC26-125000-C:10",
            "--add", "BTC-25DEC26-65000-P:10");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out().lines().toList()).startsWith(
            "What if account naked-short-strangle adds BTC-25DEC26-125000-C:10, BTC-25DEC26-65000-P:10?",
            "ACCEPTED: equity covers the initial margin after the order");
        assertThat(r.out().toLowerCase(java.util.Locale.ROOT).split("accepted", -1)).hasSize(2);
        assertThat(r.out()).doesNotContainPattern("\\d[eE][-+]?\\d");
        // buying options for their model value leaves equity unchanged up to rounding noise (~1e-11 USD)
        assertThat(r.out()).containsPattern("(?m)^  equity +[0-9,.]+ +[0-9,.]+ +0\\.00$");
    }

    @Test
    void portfolioErrorsFoundAgainstTheMarketNameThePortfolioFile(@TempDir Path dir) throws IOException {
        Path p = dir.resolve("p.json");
        Files.writeString(p, "{\"account\":\"a\",\"positions\":[{\"instrument\":\"XRP_USDC-PERPETUAL\",\"size\":1,"
            + "\"entryPrice\":2}]}");
        Run r = run("margin", "--market", MARKET, "--portfolio", p.toString());
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).startsWith(p + ": positions[0].instrument: ").contains("XRP");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void paramsFileChangesTheMargin() throws IOException {
        String p = EXAMPLES.resolve("portfolios/btc-eth-pair.json").toString();
        ObjectMapper om = new ObjectMapper();
        double base = om.readTree(run("margin", "--market", MARKET, "--portfolio", p, "--format", "json").out())
            .get("maintenanceMargin").asDouble();
        Run r = run("margin", "--market", MARKET, "--portfolio", p, "--format", "json", "--params",
            EXAMPLES.resolve("params-conservative.yaml").toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(om.readTree(r.out()).get("maintenanceMargin").asDouble()).isGreaterThan(base);
    }

    @Test
    void sameInputsGiveTheSameBytes() {
        String p = EXAMPLES.resolve("portfolios/multi-asset-book.json").toString();
        Run a = run("margin", "--market", MARKET, "--portfolio", p, "--format", "json");
        Run b = run("margin", "--market", MARKET, "--portfolio", p, "--format", "json");
        assertThat(a.out()).isEqualTo(b.out()).isNotEmpty();
    }

    @Test
    void benchReportsEveryField() throws IOException {
        Run r = run("bench", "--accounts", "2000", "--naive-sample", "50", "--format", "json");
        assertThat(r.status()).as(r.err()).isZero();
        JsonNode b = new ObjectMapper().readTree(r.out());
        for (String f : new String[] {"riskArrayBuildMillis", "marginLatencyP50Micros", "marginLatencyP99Micros",
            "accountsPerSecond", "naiveAccountsPerSecond", "speedupVsNaive"}) {
            assertThat(b.get(f).asDouble()).as(f).isPositive();
        }
        assertThat(b.get("instruments").asInt()).isBetween(1500, 2500);
        assertThat(b.get("maxRelativeDifferenceVsNaive").asDouble()).isLessThan(1e-9);
    }
}
