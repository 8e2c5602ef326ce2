package io.upm.backtest.feed;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Comparator;

/**
 * One quote of the feed: a FORMATS.md {@code quote} command. Immutable.
 *
 * @param timeMillis the engine time, epoch milliseconds UTC: the bar's close (open time + interval)
 * @param source     the source's name
 * @param asset      the asset
 * @param price      the bar's close, USD (Binance: USDT taken at par)
 */
public record FeedQuote(long timeMillis, String source, String asset, double price) {

    /** The feed's order: by time, then source, then asset (names compared as strings). */
    public static final Comparator<FeedQuote> ORDER = Comparator.comparingLong(FeedQuote::timeMillis)
        .thenComparing(FeedQuote::source).thenComparing(FeedQuote::asset);

    /**
     * The command as one JSON line without the newline:
     * {@code {"type":"quote","time":"2021-01-02T00:00:00Z","source":"binance","asset":"BTC","price":32178.33}}.
     * The time is ISO-8601 UTC with seconds; the price the shortest decimal that reads back as the same double,
     * never in exponent notation. Source and asset names are the catalogue's (plain ASCII, nothing to escape).
     */
    public String toCommandJson() {
        return "{\"type\":\"quote\",\"time\":\"" + Instant.ofEpochMilli(timeMillis) + "\",\"source\":\"" + source
            + "\",\"asset\":\"" + asset + "\",\"price\":" + decimal(price) + "}";
    }

    private static String decimal(double x) {
        String s = Double.toString(x);
        return s.indexOf('E') < 0 ? s : BigDecimal.valueOf(x).stripTrailingZeros().toPlainString();
    }
}
