package io.upm.backtest.feed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.upm.input.InputException;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The feed on the synthetic files of src/test/resources/feed: times, order, selection, the JSON lines, errors. */
class QuoteFeedTest {
    @TempDir
    static Path dir;

    /**
     * The fixtures are stored as {@code synthetic-<name>.csv} (so that they can never be taken for exchange data)
     * and copied here under the names the feed reader looks for.
     */
    @BeforeAll
    static void locate() throws URISyntaxException, java.io.IOException {
        Path fixtures = Path.of(QuoteFeedTest.class.getResource("/feed/README.md").toURI()).getParent();
        try (var files = java.nio.file.Files.list(fixtures)) {
            for (Path f : files.filter(p -> p.getFileName().toString().startsWith("synthetic-")).toList()) {
                java.nio.file.Files.copy(f, dir.resolve(f.getFileName().toString().substring("synthetic-".length())));
            }
        }
    }

    static FeedRequest request(List<String> assets, String from, String to, BarInterval interval, Set<String> sources) {
        return new FeedRequest(assets, LocalDate.parse(from), LocalDate.parse(to), interval, sources);
    }

    static List<String> lines(List<FeedQuote> quotes) {
        return quotes.stream().map(FeedQuote::toCommandJson).toList();
    }

    @Test
    void dailyBarsAreQuotedAtTheirCloseInTimeSourceAssetOrder() {
        List<FeedQuote> q = QuoteFeed.load(dir, request(List.of("BTC"), "2021-01-01", "2021-01-02", BarInterval.D1, Set.of()));
        assertThat(lines(q)).containsExactly(
            "{\"type\":\"quote\",\"time\":\"2021-01-02T00:00:00Z\",\"source\":\"binance\",\"asset\":\"BTC\",\"price\":110.0}",
            "{\"type\":\"quote\",\"time\":\"2021-01-02T00:00:00Z\",\"source\":\"cmc\",\"asset\":\"BTC\",\"price\":111.0}",
            "{\"type\":\"quote\",\"time\":\"2021-01-02T00:00:00Z\",\"source\":\"coinbase\",\"asset\":\"BTC\",\"price\":110.5}",
            "{\"type\":\"quote\",\"time\":\"2021-01-03T00:00:00Z\",\"source\":\"binance\",\"asset\":\"BTC\",\"price\":120.0}",
            "{\"type\":\"quote\",\"time\":\"2021-01-03T00:00:00Z\",\"source\":\"cmc\",\"asset\":\"BTC\",\"price\":12000000}",
            "{\"type\":\"quote\",\"time\":\"2021-01-03T00:00:00Z\",\"source\":\"coinbase\",\"asset\":\"BTC\",\"price\":119.5}");
    }

    @Test
    void intradayBinanceBarsAreQuotedAtOpenPlusIntervalBesideTheDailySources() {
        List<FeedQuote> q = QuoteFeed.load(dir, request(List.of("BTC"), "2021-01-01", "2021-01-01", BarInterval.H4, Set.of()));
        assertThat(q).extracting(x -> x.source() + "@" + java.time.Instant.ofEpochMilli(x.timeMillis()) + "=" + x.price())
            .containsExactly("binance@2021-01-01T04:00:00Z=101.0", "binance@2021-01-01T08:00:00Z=101.04",
                "binance@2021-01-01T12:00:00Z=101.08", "binance@2021-01-01T16:00:00Z=101.12",
                "binance@2021-01-01T20:00:00Z=101.16", "binance@2021-01-02T00:00:00Z=101.2",
                "cmc@2021-01-02T00:00:00Z=111.0", "coinbase@2021-01-02T00:00:00Z=110.5");
    }

    @Test
    void severalAssetsAndStablecoinsMergeInOneDeterministicOrder() {
        List<FeedQuote> q = QuoteFeed.load(dir, request(List.of("usdt", "UST", "ETH", "BTC"), "2021-01-02", "2021-01-03",
            BarInterval.D1, Set.of()));
        assertThat(q).isSortedAccordingTo(FeedQuote.ORDER);
        assertThat(q).extracting(x -> x.source() + "/" + x.asset()).containsExactly(
            "binance/BTC", "binance/ETH", "cmc/BTC", "coinbase/BTC", "yahoo/USDT", "yahoo/UST", // 2021-01-03
            "binance/BTC", "binance/ETH", "coinbase/BTC", "kraken/USDT", "yahoo/UST");          // 2021-01-04
        assertThat(lines(q)).contains(
            "{\"type\":\"quote\",\"time\":\"2021-01-03T00:00:00Z\",\"source\":\"yahoo\",\"asset\":\"USDT\",\"price\":0.0001}");
    }

    @Test
    void sourcesCanBeSelected() {
        List<FeedQuote> q = QuoteFeed.load(dir, request(List.of("BTC", "USDT"), "2021-01-01", "2021-01-04", BarInterval.D1,
            Set.of("Coinbase", "kraken")));
        assertThat(q).extracting(FeedQuote::source).containsOnly("coinbase", "kraken").hasSize(5);
        assertThat(QuoteFeed.series(dir, request(List.of("BTC"), "2021-01-01", "2021-01-04", BarInterval.D1, Set.of())))
            .extracting(FeedSeries::file)
            .containsExactly("btc_usdt_binance_1d.csv", "btc_usd_coinbase_1d.csv", "btc_usd_cmc_1d.csv");
    }

    @Test
    void badRequestsNameTheirField() {
        assertField(() -> request(List.of("BTC", "DOGE"), "2021-01-01", "2021-01-02", BarInterval.D1, Set.of()), "assets",
            "unknown asset \"DOGE\"");
        assertField(() -> request(List.of(), "2021-01-01", "2021-01-02", BarInterval.D1, Set.of()), "assets", "at least one");
        assertField(() -> request(List.of("BTC"), "2021-01-01", "2021-01-02", BarInterval.D1, Set.of("ftx")), "sources",
            "unknown source \"ftx\"");
        assertField(() -> request(List.of("BTC"), "2021-01-03", "2021-01-02", BarInterval.D1, Set.of()), "from",
            "is after the last day");
        assertField(() -> BarInterval.parse("3h"), "interval", "expected 1d, 4h, 2h or 1h");
        assertField(() -> QuoteFeed.load(dir, request(List.of("ETH"), "2021-01-01", "2021-01-04", BarInterval.H4, Set.of())),
            "interval", "no 4h Binance bars of ETH (it has 1d)");
        assertField(() -> QuoteFeed.load(dir, request(List.of("SOL"), "2021-01-01", "2021-01-04", BarInterval.D1, Set.of())),
            "assets", "no price series of SOL");
        assertField(() -> QuoteFeed.load(dir, request(List.of("USDC"), "2021-01-01", "2021-01-04", BarInterval.D1,
            Set.of("coinbase"))), "assets", "no price series of USDC");
        assertField(() -> QuoteFeed.load(dir, request(List.of("BTC"), "2022-01-01", "2022-12-31", BarInterval.D1, Set.of())),
            "from", "no quotes of BTC");
        assertField(() -> QuoteFeed.load(dir.resolve("nope"), request(List.of("BTC"), "2021-01-01", "2021-01-02",
            BarInterval.D1, Set.of())), "data", "not a directory");
    }

    @Test
    void aMalformedFileIsNamedWithItsLineAndColumn(@TempDir Path tmp) throws IOException {
        Files.writeString(tmp.resolve("btc_usdt_binance_4h.csv"), """
            timestamp,open,high,low,close,volume
            2021-01-01T00:00:00Z,1,1,1,100,1
            2021-01-01T04:00:00,1,1,1,100,1
            """);
        assertThatThrownBy(() -> QuoteFeed.load(tmp, request(List.of("BTC"), "2021-01-01", "2021-01-02", BarInterval.H4,
            Set.of()))).isInstanceOfSatisfying(InputException.class, e -> {
                assertThat(e.field()).endsWith("btc_usdt_binance_4h.csv:3:timestamp");
                assertThat(e.problem()).contains("not a time YYYY-MM-DDTHH:MM:SSZ");
            });
        Files.writeString(tmp.resolve("btc_usdt_binance_4h.csv"), """
            timestamp,open,high,low,close,volume
            2021-01-01T04:00:00Z,1,1,1,100,1
            2021-01-01T04:00:00Z,1,1,1,100,1
            """);
        assertThatThrownBy(() -> QuoteFeed.load(tmp, request(List.of("BTC"), "2021-01-01", "2021-01-02", BarInterval.H4,
            Set.of()))).hasMessageContaining(":3:timestamp").hasMessageContaining("times must increase");
    }

    @Test
    void anEmptyCloseIsADayWithoutAQuote(@TempDir Path tmp) throws IOException {
        Files.writeString(tmp.resolve("usdt_usd_kraken_1d.csv"), "date,close\n2021-01-01,1.0002\n2021-01-02,\n2021-01-03,0.9999\n");
        List<FeedQuote> q = QuoteFeed.load(tmp, request(List.of("USDT"), "2021-01-01", "2021-01-03", BarInterval.D1, Set.of()));
        assertThat(q).extracting(FeedQuote::price).containsExactly(1.0002, 0.9999);
        Files.writeString(tmp.resolve("usdt_usd_kraken_1d.csv"), "date,close\n2021-01-02,1.0002\n2021-01-01,\n");
        assertThatThrownBy(() -> QuoteFeed.load(tmp, request(List.of("USDT"), "2021-01-01", "2021-01-03", BarInterval.D1,
            Set.of()))).hasMessageContaining(":3:date").hasMessageContaining("dates must increase");
    }

    private static void assertField(Runnable call, String field, String problem) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(InputException.class, e -> {
            assertThat(e.field()).isEqualTo(field);
            assertThat(e.problem()).contains(problem);
        });
    }
}
