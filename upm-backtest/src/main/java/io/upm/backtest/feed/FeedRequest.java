package io.upm.backtest.feed;

import io.upm.input.InputException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What to feed: which assets, which days, which Binance bars and which sources. Immutable and valid (the
 * constructor checks it and throws an {@link InputException} naming the field: {@code assets},
 * {@code sources}, {@code from}).
 *
 * @param assets   assets of {@link FeedSeries#ASSETS}, upper case, without duplicates, at least one
 * @param from     the first day whose bars are fed (bars that open on it)
 * @param to       the last day, not before {@code from}
 * @param interval the Binance bars to feed (the other sources have daily bars only)
 * @param sources  sources of {@link FeedSeries#SOURCES} to feed; empty for all
 */
public record FeedRequest(List<String> assets, LocalDate from, LocalDate to, BarInterval interval, Set<String> sources) {

    /** Normalises the names (upper-case assets, lower-case sources) and checks everything. */
    public FeedRequest {
        if (assets == null || assets.isEmpty()) {
            throw new InputException("assets", "at least one asset, e.g. BTC,ETH");
        }
        Set<String> a = new LinkedHashSet<>();
        for (String name : assets) {
            String n = name == null ? "" : name.trim().toUpperCase(Locale.ROOT);
            if (!FeedSeries.ASSETS.contains(n)) {
                throw new InputException("assets", "unknown asset \"" + name + "\"; expected some of "
                    + String.join(",", FeedSeries.ASSETS));
            }
            a.add(n);
        }
        assets = List.copyOf(new ArrayList<>(a));
        Set<String> s = new LinkedHashSet<>();
        for (String name : sources == null ? Set.<String>of() : sources) {
            String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
            if (!FeedSeries.SOURCES.contains(n)) {
                throw new InputException("sources", "unknown source \"" + name + "\"; expected some of "
                    + String.join(",", FeedSeries.SOURCES));
            }
            s.add(n);
        }
        sources = Set.copyOf(s);
        if (from == null || to == null) {
            throw new InputException(from == null ? "from" : "to", "missing");
        }
        if (from.isAfter(to)) {
            throw new InputException("from", from + " is after the last day " + to);
        }
        if (interval == null) {
            throw new InputException("interval", "missing");
        }
    }

    /** Whether {@code source} is fed. */
    public boolean feeds(String source) {
        return sources.isEmpty() || sources.contains(source);
    }
}
