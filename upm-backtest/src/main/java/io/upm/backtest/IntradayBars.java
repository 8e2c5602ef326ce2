package io.upm.backtest;

import io.upm.backtest.feed.BarInterval;
import io.upm.input.InputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The Binance spot bars of one length (1h, 2h, 4h, or daily) of every asset that has a file of that length in the
 * data folder ({@code btc_usdt_binance_4h.csv}, ...; SOURCES.md): BTC has 1h, 2h and 4h bars, ETH 2h and 4h, SOL
 * 4h. BTC's file is required (its bars are the calendar of an intraday backtest); another asset's is optional.
 * Bars are kept as the file has them: a Binance outage is a gap, never filled. Immutable and thread-safe.
 */
public final class IntradayBars {
    private final BarInterval interval;
    private final Map<String, CloseSeries> series;
    private final Map<String, Map<Long, Integer>> indexByOpen;

    private IntradayBars(BarInterval interval, Map<String, CloseSeries> series) {
        this.interval = interval;
        this.series = series;
        Map<String, Map<Long, Integer>> idx = new LinkedHashMap<>();
        series.forEach((asset, s) -> {
            Map<Long, Integer> m = new HashMap<>(s.size() * 2);
            for (int i = 0; i < s.size(); i++) {
                m.put(s.openMillis(i), i);
            }
            idx.put(asset, m);
        });
        this.indexByOpen = idx;
    }

    /** The file name of {@code asset}'s bars: {@code btc_usdt_binance_4h.csv}. */
    public static String fileName(String asset, BarInterval interval) {
        return asset.toLowerCase(Locale.ROOT) + "_usdt_binance_" + interval.code() + ".csv";
    }

    /**
     * Reads the bars of {@code interval} of the assets of {@link DailyHistory#ASSETS} found in {@code dir}.
     *
     * @throws InputException naming BTC's file when it is missing, or any file (line, column) that is malformed
     */
    public static IntradayBars load(Path dir, BarInterval interval) {
        Map<String, CloseSeries> s = new LinkedHashMap<>();
        CloseSeries.TimeColumn column = interval == BarInterval.D1 ? CloseSeries.TimeColumn.DATE
            : CloseSeries.TimeColumn.TIMESTAMP;
        for (String asset : DailyHistory.ASSETS) {
            Path f = dir.resolve(fileName(asset, interval));
            if (asset.equals("BTC") || Files.exists(f)) {
                s.put(asset, CloseSeries.read(f, column));
            }
        }
        return new IntradayBars(interval, Collections.unmodifiableMap(s));
    }

    /** Bars from series already read (synthetic tests): BTC's is required. */
    public static IntradayBars of(BarInterval interval, Map<String, CloseSeries> series) {
        if (!series.containsKey("BTC")) {
            throw new InputException("bars", "BTC's bars are required: they are the backtest's calendar");
        }
        return new IntradayBars(interval, Collections.unmodifiableMap(new LinkedHashMap<>(series)));
    }

    /** The bar length. */
    public BarInterval interval() {
        return interval;
    }

    /** The assets that have bars, BTC first. */
    public java.util.Set<String> assets() {
        return series.keySet();
    }

    /** The bars of {@code asset}, or null. */
    public CloseSeries series(String asset) {
        return series.get(asset);
    }

    /** The close of {@code asset}'s bar that opens at {@code openMillis}; NaN when there is none. */
    public double closeOfBarOpening(String asset, long openMillis) {
        Map<Long, Integer> m = indexByOpen.get(asset);
        Integer i = m == null ? null : m.get(openMillis);
        return i == null ? Double.NaN : series.get(asset).close(i);
    }
}
