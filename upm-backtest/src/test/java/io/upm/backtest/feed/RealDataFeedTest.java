package io.upm.backtest.feed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.upm.backtest.TestHistories;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The feed on the real files of ../shared/data/market, when they are there (no redistribution licence, never
 * committed; skipped with a message otherwise). Checks against SOURCES.md's coverage and known prices.
 */
class RealDataFeedTest {
    static Path dir;

    @BeforeAll
    static void locate() {
        dir = TestHistories.realData().orElse(null);
        Assumptions.assumeTrue(dir != null, TestHistories.NO_REAL_DATA);
    }

    static List<FeedQuote> load(List<String> assets, String from, String to, BarInterval interval) {
        return QuoteFeed.load(dir, new FeedRequest(assets, LocalDate.parse(from), LocalDate.parse(to), interval, Set.of()));
    }

    static Map<String, Long> countBySource(List<FeedQuote> q) {
        return q.stream().collect(Collectors.groupingBy(x -> x.source() + "/" + x.asset(), Collectors.counting()));
    }

    @Test
    void march12th2020IsQuotedByThreeSourcesAtMidnightAfter() {
        List<FeedQuote> q = load(List.of("BTC", "ETH"), "2020-03-12", "2020-03-12", BarInterval.D1);
        assertThat(q).hasSize(6).allSatisfy(x ->
            assertThat(Instant.ofEpochMilli(x.timeMillis())).isEqualTo(Instant.parse("2020-03-13T00:00:00Z")));
        assertThat(q).filteredOn(x -> x.source().equals("binance") && x.asset().equals("BTC"))
            .singleElement().extracting(FeedQuote::price).isEqualTo(4800.0);
        assertThat(q).filteredOn(x -> x.source().equals("binance") && x.asset().equals("ETH"))
            .singleElement().extracting(FeedQuote::price).isEqualTo(107.82);
        assertThat(q).extracting(FeedQuote::source).containsExactly("binance", "binance", "cmc", "cmc", "coinbase", "coinbase");
    }

    @Test
    void theDailyCoverageIsThatOfSourcesMd() {
        List<FeedQuote> q = load(List.of("BTC", "ETH", "USDT", "USDC", "DAI", "UST", "SOL"), "2020-01-01", "2025-02-28",
            BarInterval.D1);
        assertThat(q).isSortedAccordingTo(FeedQuote.ORDER);
        Map<String, Long> n = countBySource(q);
        assertThat(n.get("binance/BTC")).isEqualTo(1886); // 2020-01-01 .. 2025-02-28, no missing day
        assertThat(n.get("coinbase/BTC")).isEqualTo(1886);
        assertThat(n.get("cmc/BTC")).isEqualTo(424);      // to 2021-02-27
        assertThat(n.get("binance/SOL")).isEqualTo(1663);
        assertThat(n.get("kraken/USDT")).isEqualTo(721 - 69); // 69 days with an empty close
        assertThat(n.get("yahoo/UST")).isEqualTo(684);
        assertThat(n).containsKeys("cmc/USDT", "yahoo/USDT", "yahoo/USDC", "yahoo/DAI", "cmc/ETH", "coinbase/ETH");
        FeedQuote last = q.get(q.size() - 1);
        assertThat(Instant.ofEpochMilli(last.timeMillis())).isEqualTo(Instant.parse("2025-03-01T00:00:00Z"));
    }

    @Test
    void hourlyBinanceBarsComeWithTheDailySources() {
        List<FeedQuote> q = load(List.of("BTC"), "2021-01-01", "2021-01-31", BarInterval.H1);
        Map<String, Long> n = countBySource(q);
        assertThat(n).containsOnlyKeys("binance/BTC", "coinbase/BTC", "cmc/BTC");
        assertThat(n.get("binance/BTC")).isEqualTo(31 * 24);
        assertThat(n.get("coinbase/BTC")).isEqualTo(31);
        assertThat(Instant.ofEpochMilli(q.get(0).timeMillis())).isEqualTo(Instant.parse("2021-01-01T01:00:00Z"));
        assertThatThrownBy(() -> load(List.of("SOL"), "2021-01-01", "2021-01-31", BarInterval.H2))
            .hasMessageContaining("no 2h Binance bars of SOL (it has 1d, 4h)");
    }

    /**
     * Every price series of the folder is fed: each {@code <coin>_<quote>_<venue>_<interval>.csv} with a close
     * column is in the catalogue, except the ones left out on purpose (none today). Funding, basis, DVOL and
     * option files are not prices of the coin; Deribit's index price sits in a funding file at an unstated time
     * within the hour (docs/index.md, open questions).
     */
    @Test
    void everyPriceSeriesOfTheFolderIsInTheCatalogue() throws java.io.IOException {
        Set<String> catalogue = FeedSeries.CATALOGUE.stream().map(FeedSeries::file).collect(Collectors.toSet());
        List<String> priceFiles;
        try (var files = java.nio.file.Files.list(dir)) {
            priceFiles = files.map(f -> f.getFileName().toString())
                .filter(n -> n.matches("[a-z]+_(usd|usdt)_[a-z]+_\\d+[dh]\\.csv")).sorted().toList();
        }
        assertThat(priceFiles).hasSizeGreaterThanOrEqualTo(18);
        for (String f : priceFiles) {
            String header = java.nio.file.Files.readAllLines(dir.resolve(f)).get(0);
            assertThat(header).as(f).contains("close");
            assertThat(catalogue).as("the feed misses %s", f).contains(f);
        }
        // and every source of each asset comes out of a one-day feed when the folder has it
        List<FeedQuote> q = load(List.of("USDT", "USDC", "DAI", "UST"), "2021-01-01", "2021-01-01", BarInterval.D1);
        assertThat(countBySource(q)).containsOnlyKeys("cmc/USDT", "yahoo/USDT", "yahoo/USDC", "yahoo/DAI", "yahoo/UST");
        assertThat(countBySource(load(List.of("USDT"), "2024-01-01", "2024-01-01", BarInterval.D1)))
            .containsOnlyKeys("kraken/USDT");
        assertThat(countBySource(load(List.of("ETH", "SOL"), "2022-01-01", "2022-01-01", BarInterval.H4)))
            .containsEntry("binance/ETH", 6L).containsEntry("binance/SOL", 6L).containsEntry("coinbase/ETH", 1L);
        assertThat(countBySource(load(List.of("ETH"), "2022-01-01", "2022-01-01", BarInterval.H2)))
            .containsEntry("binance/ETH", 12L);
    }
}
