package io.upm.formats;

import static io.upm.formats.Fixtures.rejected;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.upm.margin.params.MarginParameters;
import io.upm.market.MarketSanityBands;
import io.upm.market.MarketSnapshot;
import io.upm.product.Portfolio;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The market sanity bands on the files UPM ships and reads: the examples pass the default bands, and a band
 * set in a parameters file changes the verdict.
 */
class MarketSanityFilesTest {
    private static final Path EXAMPLES = Path.of("..", "examples");
    private static final MarketSanityBands DEFAULTS = MarginParameters.defaults().marketSanity();

    private static MarketSnapshot exampleMarket() {
        return MarketReader.read(EXAMPLES.resolve("market.json"));
    }

    @Test
    void theExampleMarketAndTheFormatsExamplePassTheDefaultBands() {
        assertThatCode(() -> DEFAULTS.check(exampleMarket())).doesNotThrowAnyException();
        assertThatCode(() -> DEFAULTS.check(MarketReader.read(Fixtures.file("market.json"))))
            .doesNotThrowAnyException();
    }

    @Test
    void everyExamplePortfolioInstrumentPassesTheDefaultBands() throws IOException {
        MarketSnapshot market = exampleMarket();
        List<Path> files;
        try (Stream<Path> s = Files.list(EXAMPLES.resolve("portfolios"))) {
            files = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        assertThat(files).isNotEmpty();
        int checked = 0;
        for (Path f : files) {
            Portfolio p = PortfolioReader.read(f);
            for (int i = 0; i < p.positions().size(); i++) {
                String field = f.getFileName() + ": positions[" + i + "].instrument";
                DEFAULTS.checkInstrument(p.positions().get(i).instrument(), market, field);
                checked++;
            }
        }
        assertThat(checked).isPositive();
    }

    @Test
    void aBandNarrowedInAParametersFileRejectsTheExampleMarket() {
        MarketSanityBands narrow = ParametersReader.read("marketSanity: { maxPerpetualMarkLogBasis: 0.0001 }",
            "params.yaml").marketSanity();

        // BTC-PERPETUAL's mark 91540.5 is ln(91540.5 / 91500) = 0.00044 above its index
        rejected(() -> narrow.check(exampleMarket()), "marks.BTC-PERPETUAL",
            "set by marketSanity.maxPerpetualMarkLogBasis");
    }

    @Test
    void aBandWidenedInAParametersFileAcceptsWhatTheDefaultsReject() {
        String json = """
            {"time": "2026-11-25T08:00:00Z", "prices": {"BTC": 91500, "ETH": 3050},
             "adv": {"BTC": 25e9, "ETH": 500}}
            """;
        MarketSnapshot thin = MarketReader.read(json, "market.json");
        MarketSanityBands wide = ParametersReader.read("{\"marketSanity\": {\"minAdv\": 100}}", "params.json")
            .marketSanity();

        rejected(() -> DEFAULTS.check(thin), "adv.ETH", "marketSanity.minAdv");
        assertThatCode(() -> wide.check(thin)).doesNotThrowAnyException();
    }
}
