package io.upm.cli;

import static io.upm.cli.CliRunner.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.upm.cli.CliRunner.Run;
import io.upm.formats.MarginReportWriter;
import io.upm.formats.MarketReader;
import io.upm.formats.PortfolioReader;
import io.upm.margin.MarginCalculator;
import io.upm.margin.params.MarginParameters;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code upm import} end to end, and the per-venue section of {@code upm margin} on what it writes. */
class ImportCommandTest {
    static final Path VENUES = CliTest.EXAMPLES.resolve("venues");
    static final ObjectMapper JSON = new ObjectMapper();

    static String venueFile(String name) {
        return VENUES.resolve(name).toString();
    }

    @Test
    void importThenMarginShowsEachVenueBesideTheUnifiedMargin(@TempDir Path dir) throws IOException {
        Run imported = run("import", "--venue", "deribit", venueFile("deribit.json"), "--venue", "okx", venueFile("okx.json"),
            "--account", "basis-fund");
        assertThat(imported.status()).as(imported.err()).isZero();
        assertThat(imported.err()).isEmpty();
        Path portfolio = dir.resolve("basis.json");
        Files.writeString(portfolio, imported.out());
        JsonNode doc = JSON.readTree(imported.out());
        assertThat(doc.get("account").asText()).isEqualTo("basis-fund");
        assertThat(doc.get("positions")).hasSize(2);
        assertThat(doc.get("positions").get(0).get("venue").asText()).isEqualTo("deribit");
        assertThat(doc.get("positions").get(1).get("instrument").asText()).isEqualTo("BTC_USDT-PERPETUAL");

        Run margin = run("margin", "--market", CliTest.MARKET, "--portfolio", portfolio.toString(), "--format", "json");
        assertThat(margin.status()).as(margin.err()).isZero();
        JsonNode report = JSON.readTree(margin.out());
        JsonNode venues = report.get("venues");
        assertThat(venues.get("byVenue")).hasSize(2);
        double sum = 0;
        for (JsonNode v : venues.get("byVenue")) {
            sum += v.get("maintenanceMargin").asDouble();
        }
        double unified = report.get("maintenanceMargin").asDouble();
        assertThat(venues.get("unified").get("maintenanceMargin").asDouble()).isEqualTo(unified);
        assertThat(venues.get("siloed").get("maintenanceMargin").asDouble()).isCloseTo(sum, within(1e-6));
        assertThat(venues.get("saving").get("maintenanceMargin").asDouble()).isCloseTo(sum - unified, within(1e-6));
        // a basis trade split across two venues: each leg alone is a naked delta, together they hedge
        assertThat(unified).isLessThan(0.25 * sum);

        // the unified figures are those of the same portfolio without any venue field, byte for byte
        ObjectNode stripped = (ObjectNode) JSON.readTree(imported.out());
        stripped.remove("venueBalances");
        stripped.get("positions").forEach(p -> ((ObjectNode) p).remove("venue"));
        Path plain = dir.resolve("plain.json");
        Files.writeString(plain, stripped.toString());
        Run plainMargin = run("margin", "--market", CliTest.MARKET, "--portfolio", plain.toString(), "--format", "json");
        ObjectNode withoutVenues = (ObjectNode) JSON.readTree(margin.out());
        withoutVenues.remove("venues");
        assertThat(JSON.readTree(plainMargin.out())).isEqualTo(withoutVenues);

        Run table = run("margin", "--market", CliTest.MARKET, "--portfolio", portfolio.toString());
        assertThat(table.status()).isZero();
        assertThat(table.out()).contains("Across venues: each venue's part margined alone vs one unified margin")
            .contains("deribit").contains("okx").contains("saving (sum - unified)");
    }

    @Test
    void severalFilesPerVenueAndAllFourVenues() throws IOException {
        Run r = run("import", "--venue", "deribit", venueFile("deribit.json"), "--venue", "binance", venueFile("binance.json"),
            "--venue", "bybit", venueFile("bybit.json"), venueFile("bybit.json"), "--venue", "okx", venueFile("okx.json"));
        assertThat(r.status()).as(r.err()).isZero();
        JsonNode doc = JSON.readTree(r.out());
        assertThat(doc.get("account").asText()).isEqualTo("cross-venue");
        // bybit given twice (two sub-accounts): its 5 positions twice, its balances summed under one venue
        assertThat(doc.get("positions")).hasSize(1 + 4 + 5 + 5 + 1);
        assertThat(doc.get("venueBalances").get("bybit").get("USDC").asDouble()).isEqualTo(120_000.0);
        assertThat(List.of(doc.get("venueBalances").fieldNames().next())).containsExactly("deribit");
    }

    @Test
    void portfoliosWithoutVenuesGiveTheReportTheyAlwaysGave() throws IOException {
        MarginParameters params = MarginParameters.defaults();
        var market = MarketReader.read(Path.of(CliTest.MARKET));
        try (var files = Files.list(CliTest.EXAMPLES.resolve("portfolios"))) {
            for (Path p : files.sorted().toList()) {
                Run r = run("margin", "--market", CliTest.MARKET, "--portfolio", p.toString(), "--format", "json");
                String expected = MarginReportWriter.toJson(MarginCalculator.report(market, PortfolioReader.read(p), params));
                assertThat(r.out()).as(p.toString()).isEqualTo(expected).doesNotContain("\"venues\"");
                Run table = run("margin", "--market", CliTest.MARKET, "--portfolio", p.toString());
                assertThat(table.out()).doesNotContain("Across venues");
            }
        }
    }

    @Test
    void badInputIsOneLineNamingTheFileAndTheField(@TempDir Path dir) throws IOException {
        Run unknownVenue = run("import", "--venue", "ftx", venueFile("okx.json"));
        assertThat(unknownVenue.status()).isEqualTo(2);
        assertThat(unknownVenue.out()).isEmpty();
        assertThat(unknownVenue.err().strip())
            .isEqualTo("upm: --venue: unknown venue \"ftx\" (expected one of deribit, okx, binance, bybit)");

        Path bad = dir.resolve("okx-bad.json");
        Files.writeString(bad, "{\"/api/v5/account/positions\": {\"code\": \"0\", \"data\": [{\"instType\": \"SWAP\", "
            + "\"instId\": \"PEPE-USDT-SWAP\", \"pos\": \"5\", \"avgPx\": \"0.00001\"}]}}");
        Run unknownInstrument = run("import", "--venue", "deribit", venueFile("deribit.json"), "--venue", "okx", bad.toString());
        assertThat(unknownInstrument.status()).isEqualTo(2);
        assertThat(unknownInstrument.out()).isEmpty();
        assertThat(unknownInstrument.err().strip()).startsWith(bad + ": /api/v5/account/positions.data[0].instId: "
            + "contract size of \"PEPE-USDT-SWAP\" unknown");

        Path malformed = dir.resolve("deribit-bad.json");
        Files.writeString(malformed, "{\"private/get_positions\": {\"result\": [}");
        Run m = run("import", "--venue", "deribit", malformed.toString());
        assertThat(m.status()).isEqualTo(2);
        assertThat(m.err().strip()).startsWith(malformed + ": invalid JSON");

        Run missing = run("import", "--venue", "bybit", dir.resolve("nope.json").toString());
        assertThat(missing.err().strip()).isEqualTo("upm: bybit export " + dir.resolve("nope.json")
            + ": cannot read (No such file or directory)");

        Run noFile = run("import", "--venue", "okx");
        assertThat(noFile.status()).isEqualTo(2);
        assertThat(noFile.out()).isEmpty();
    }
}
