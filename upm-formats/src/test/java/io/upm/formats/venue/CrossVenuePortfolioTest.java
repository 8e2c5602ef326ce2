package io.upm.formats.venue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.upm.formats.PortfolioReader;
import io.upm.input.InputException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Venue exports merged into one portfolio document, written and read back; the reader's checks of venue fields. */
class CrossVenuePortfolioTest {
    static final Path EXAMPLES = Path.of("..", "examples", "venues");

    static void rejected(String json, String field, String problemPart) {
        assertThatThrownBy(() -> PortfolioReader.readDocument(json)).isInstanceOfSatisfying(InputException.class, e -> {
            assertThat(e.field()).as(e.getMessage()).isEqualTo(field);
            assertThat(e.problem()).as(e.getMessage()).contains(problemPart);
        });
    }

    @Test
    void fourVenuesMergeIntoOneDocumentThatReadsBackTheSame() {
        List<VenueHoldings> holdings = List.of(
            VenueExports.read(Venue.DERIBIT, EXAMPLES.resolve("deribit.json")),
            VenueExports.read(Venue.OKX, EXAMPLES.resolve("okx.json")),
            VenueExports.read(Venue.BINANCE, EXAMPLES.resolve("binance.json")),
            VenueExports.read(Venue.BYBIT, EXAMPLES.resolve("bybit.json")));
        PortfolioReader.Document d = CrossVenuePortfolio.combine("fund", holdings);
        int positions = holdings.stream().mapToInt(h -> h.positions().size()).sum();
        assertThat(d.portfolio().positions()).hasSize(positions);
        // totals are the per-venue sums: BTC 2.5 (deribit) + 0.85 (binance) + 0.2 (bybit)
        assertThat(d.portfolio().balances()).containsEntry("BTC", 2.5 + 0.85 + 0.2)
            .containsEntry("USDT", 210_000.0 + 65_000.0).containsEntry("USDC", 60_000.0);
        assertThat(d.venueBalances().keySet()).containsExactly("deribit", "okx", "binance", "bybit");
        String json = CrossVenuePortfolio.toJson(d);
        PortfolioReader.Document back = PortfolioReader.readDocument(json);
        assertThat(back).isEqualTo(d);
        assertThat(CrossVenuePortfolio.toJson(back)).isEqualTo(json);
        assertThat(back.hasVenues()).isTrue();
    }

    @Test
    void aPortfolioWithoutVenueFieldsHasNone() {
        PortfolioReader.Document d = PortfolioReader.readDocument(
            "{\"account\": \"a\", \"balances\": {\"BTC\": 1}, \"positions\": [{\"instrument\": \"BTC-PERPETUAL\", "
                + "\"size\": 100, \"entryPrice\": 90000}]}");
        assertThat(d.hasVenues()).isFalse();
        assertThat(d.venueBalances()).isEmpty();
        assertThat(d.portfolio().positions().get(0).venue()).isNull();
    }

    @Test
    void venueFieldsAreCheckedAndNamed() {
        rejected("{\"account\": \"a\", \"positions\": [{\"instrument\": \"BTC-PERPETUAL\", \"size\": 1, \"entryPrice\": 1, "
            + "\"venue\": \"Deribit\"}]}", "positions[0].venue", "not a venue name");
        rejected("{\"account\": \"a\", \"positions\": [{\"instrument\": \"BTC-PERPETUAL\", \"size\": 1, \"entryPrice\": 1, "
            + "\"venue\": 7}]}", "positions[0].venue", "expected a string");
        rejected("{\"account\": \"a\", \"balances\": {\"BTC\": 1}, \"venueBalances\": {\"okx\": {\"BTC\": 0.4}, "
            + "\"bybit\": {\"BTC\": 0.5}}}", "balances.BTC", "not the sum of its venue balances");
        rejected("{\"account\": \"a\", \"balances\": {\"BTC\": 1}, \"venueBalances\": {\"okx\": {\"BTC\": 1, \"ETH\": 2}}}",
            "venueBalances.okx.ETH", "is not in balances");
        rejected("{\"account\": \"a\", \"balances\": {\"BTC\": 1, \"USDC\": 5}, \"venueBalances\": {\"okx\": {\"BTC\": 1}}}",
            "balances.USDC", "not the sum");
        rejected("{\"account\": \"a\", \"balances\": {\"BTC\": 1}, \"venueBalances\": {\"OKX!\": {\"BTC\": 1}}}",
            "venueBalances.OKX!", "not a venue name");
        rejected("{\"account\": \"a\", \"balances\": {\"BTC\": 1}, \"venueBalances\": {\"okx\": {\"BTC\": \"1\"}}}",
            "venueBalances.okx.BTC", "expected a number");
        // sums within the tolerance are accepted: 0.1 + 0.2 is not 0.3 in binary
        PortfolioReader.Document d = PortfolioReader.readDocument("{\"account\": \"a\", \"balances\": {\"BTC\": 0.3}, "
            + "\"venueBalances\": {\"okx\": {\"BTC\": 0.1}, \"bybit\": {\"BTC\": 0.2}}}");
        assertThat(d.venueBalances()).containsEntry("okx", Map.of("BTC", 0.1));
    }
}
