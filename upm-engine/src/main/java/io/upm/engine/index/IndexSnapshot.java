package io.upm.engine.index;

import java.util.List;

/**
 * An immutable copy of one asset's index at one engine time: what the engine publishes to readers on other
 * threads (the {@code index} event, {@code GET /v1/index}).
 *
 * @param asset            the asset
 * @param timeMillis       the index's engine time, epoch milliseconds
 * @param price            the index (USD); while stale, its last value; {@code NaN} if it has had no quorum
 *                         yet (see {@link AssetIndex#price()})
 * @param status           ok, degraded or stale
 * @param sources          the fresh non-outlier sources the price comes from, by name; empty while stale
 * @param confidenceSpread d = (max - min) / index over those sources (frozen while stale)
 * @param confidenceAddOnRate the IM add-on per USD of |delta x S|: confidenceFactor x max(0, d - freeSpread)
 * @param quotes           every source that ever quoted the asset, by name, with its last quote and state
 */
public record IndexSnapshot(String asset, long timeMillis, double price, IndexStatus status, List<String> sources,
                            double confidenceSpread, double confidenceAddOnRate, List<SourceQuote> quotes) {
    /** Copies the lists. */
    public IndexSnapshot {
        sources = List.copyOf(sources);
        quotes = List.copyOf(quotes);
    }
}
