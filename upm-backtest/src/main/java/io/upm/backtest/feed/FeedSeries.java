package io.upm.backtest.feed;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One price series a market-data folder may hold: which source quotes which asset at which bar interval, in
 * which file (the names of {@code ../shared/data/market}, SOURCES.md). {@link #CATALOGUE} lists them all; a
 * folder holds some of them.
 *
 * @param source   the source's name in the quote commands: {@code binance}, {@code coinbase}, {@code cmc},
 *                 {@code yahoo}, {@code kraken}
 * @param asset    the asset: BTC, ETH, SOL, USDT, USDC, DAI, UST (TerraUSD, Yahoo's USTC-USD)
 * @param interval the bar interval
 * @param file     the file name in the folder
 */
public record FeedSeries(String source, String asset, BarInterval interval, String file) {

    /** Binance's name: its prices are in USDT, quoted as USD (see {@link QuoteFeed}). */
    public static final String BINANCE = "binance";

    /** Every series the feed knows, Binance first, then by source and asset. */
    public static final List<FeedSeries> CATALOGUE = catalogue();

    /** The assets of the catalogue, in a fixed order. */
    public static final List<String> ASSETS = List.of("BTC", "ETH", "SOL", "USDT", "USDC", "DAI", "UST");

    /** The sources of the catalogue, in a fixed order. */
    public static final List<String> SOURCES = List.of(BINANCE, "coinbase", "cmc", "yahoo", "kraken");

    private static List<FeedSeries> catalogue() {
        List<FeedSeries> c = new ArrayList<>();
        for (String asset : List.of("BTC", "ETH", "SOL")) {
            for (BarInterval i : BarInterval.values()) {
                c.add(new FeedSeries(BINANCE, asset, i, asset.toLowerCase(java.util.Locale.ROOT) + "_usdt_binance_"
                    + i.code() + ".csv"));
            }
        }
        c.add(daily("coinbase", "BTC", "btc_usd_coinbase_1d.csv"));
        c.add(daily("coinbase", "ETH", "eth_usd_coinbase_1d.csv"));
        c.add(daily("cmc", "BTC", "btc_usd_cmc_1d.csv"));
        c.add(daily("cmc", "ETH", "eth_usd_cmc_1d.csv"));
        c.add(daily("cmc", "USDT", "usdt_usd_cmc_1d.csv"));
        c.add(daily("yahoo", "USDT", "usdt_usd_yahoo_1d.csv"));
        c.add(daily("yahoo", "USDC", "usdc_usd_yahoo_1d.csv"));
        c.add(daily("yahoo", "DAI", "dai_usd_yahoo_1d.csv"));
        c.add(daily("yahoo", "UST", "ustc_usd_yahoo_1d.csv"));
        c.add(daily("kraken", "USDT", "usdt_usd_kraken_1d.csv"));
        return List.copyOf(c);
    }

    private static FeedSeries daily(String source, String asset, String file) {
        return new FeedSeries(source, asset, BarInterval.D1, file);
    }

    /** The sources that have a series of {@code asset} in the catalogue. */
    public static Set<String> sourcesOf(String asset) {
        Set<String> out = new LinkedHashSet<>();
        for (FeedSeries s : CATALOGUE) {
            if (s.asset.equals(asset)) {
                out.add(s.source);
            }
        }
        return out;
    }
}
