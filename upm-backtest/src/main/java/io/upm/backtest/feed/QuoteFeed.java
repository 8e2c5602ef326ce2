package io.upm.backtest.feed;

import io.upm.backtest.CloseSeries;
import io.upm.input.InputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Turns the price files of a market-data folder ({@code ../shared/data/market}, SOURCES.md) into the live
 * engine's {@code quote} commands (FORMATS.md), in time order: the input of {@code upm feed}.
 *
 * <ul>
 * <li>Sources: every series of {@link FeedSeries#CATALOGUE} the folder holds for the requested assets (and
 *     sources): Binance's USDT pairs (BTC, ETH, SOL) at the requested interval, Coinbase and CoinMarketCap
 *     daily closes of BTC and ETH, the stablecoins' daily closes from CoinMarketCap (USDT), Yahoo (USDT, USDC,
 *     DAI, UST) and Kraken (USDT).</li>
 * <li>Quote time: a bar's close is known when the bar ends, so each bar gives one quote of its close at its
 *     open time plus its interval (a daily bar of day D: D+1 at 00:00 UTC; a 4h bar opening at 08:00: 12:00).
 *     Days: the bars that open on the days {@code from} to {@code to} (so the quotes' times run from just
 *     after {@code from} 00:00 to {@code to}+1 00:00).</li>
 * <li>Binance prices are in USDT and are quoted as USD, USDT at par, as the backtests do
 *     ({@link io.upm.backtest.DailyHistory}). Converting with a USDT/USD series is not possible
 *     consistently: no series covers 2022-11-13 to 2023-03-10, and a daily rate would be applied to hourly
 *     bars. The basis is small (Binance BTC against Coinbase: median gap 0.04%, SOURCES.md) and the index
 *     itself is the guard: a Binance quote more than 3% from the other sources is an outlier.</li>
 * <li>A row with an empty close is a bar without a price: no quote (Kraken's USDT/USD file has 69 such days
 *     in 2023-2025). Any other malformed value is an error naming the file, line and column.</li>
 * <li>Order: by time, then source, then asset ({@link FeedQuote#ORDER}): deterministic.</li>
 * </ul>
 * Stateless; {@link #load} reads every file it needs and returns the whole feed.
 */
public final class QuoteFeed {
    private QuoteFeed() {
    }

    /**
     * The quotes of {@code request} from the files of {@code dir}.
     *
     * @throws InputException field {@code data} when {@code dir} is not a folder; {@code assets} when an asset
     *                        has no series there (from the selected sources); {@code interval} when the folder
     *                        has Binance bars of an asset but not of that interval; {@code from} when there is
     *                        no quote between the days; a file's {@code path:line:column} when it is malformed
     */
    public static List<FeedQuote> load(Path dir, FeedRequest request) {
        if (dir == null || !Files.isDirectory(dir)) {
            throw new InputException("data", "not a directory: " + dir);
        }
        List<FeedSeries> chosen = series(dir, request);
        long from = request.from().toEpochDay();
        long to = request.to().toEpochDay();
        List<FeedQuote> out = new ArrayList<>();
        for (FeedSeries s : chosen) {
            CloseSeries bars = CloseSeries.read(dir.resolve(s.file()), s.interval() == BarInterval.D1
                ? CloseSeries.TimeColumn.DATE : CloseSeries.TimeColumn.TIMESTAMP, true);
            for (int i = 0; i < bars.size(); i++) {
                long day = Math.floorDiv(bars.openMillis(i), BarInterval.D1.millis());
                if (day >= from && day <= to) {
                    out.add(new FeedQuote(bars.openMillis(i) + s.interval().millis(), s.source(), s.asset(), bars.close(i)));
                }
            }
        }
        if (out.isEmpty()) {
            throw new InputException("from", "no quotes of " + String.join(",", request.assets()) + " from bars of "
                + request.from() + " to " + request.to() + " in " + dir);
        }
        out.sort(FeedQuote.ORDER);
        return out;
    }

    /** The series of the folder that the request feeds, in catalogue order. */
    public static List<FeedSeries> series(Path dir, FeedRequest request) {
        List<FeedSeries> chosen = new ArrayList<>();
        for (String asset : request.assets()) {
            int before = chosen.size();
            TreeSet<String> binanceIntervals = new TreeSet<>();
            boolean binanceWanted = false;
            for (FeedSeries s : FeedSeries.CATALOGUE) {
                if (!s.asset().equals(asset) || !request.feeds(s.source())) {
                    continue;
                }
                boolean present = Files.isRegularFile(dir.resolve(s.file()));
                if (s.source().equals(FeedSeries.BINANCE)) {
                    if (present) {
                        binanceIntervals.add(s.interval().code());
                    }
                    if (s.interval() != request.interval()) {
                        continue;
                    }
                    binanceWanted = true;
                }
                if (present) {
                    chosen.add(s);
                }
            }
            boolean binanceChosen = chosen.subList(before, chosen.size()).stream()
                .anyMatch(s -> s.source().equals(FeedSeries.BINANCE));
            if (binanceWanted && !binanceChosen && !binanceIntervals.isEmpty()) {
                throw new InputException("interval", "the folder has no " + request.interval().code() + " Binance bars of "
                    + asset + " (it has " + String.join(", ", binanceIntervals) + ")");
            }
            if (chosen.size() == before) {
                throw new InputException("assets", "no price series of " + asset + " in " + dir
                    + (request.sources().isEmpty() ? "" : " from " + String.join(",", new TreeSet<>(request.sources())))
                    + "; its sources are " + String.join(",", FeedSeries.sourcesOf(asset)));
            }
        }
        return chosen;
    }
}
