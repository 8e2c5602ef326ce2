package io.upm.engine.index;

/**
 * One source's last quote of an asset and what it is to the index now. Immutable.
 *
 * @param source     the source's name
 * @param price      its last price (USD)
 * @param timeMillis the engine time of that quote, epoch milliseconds
 * @param state      fresh, outlier or stale at the index's current time
 */
public record SourceQuote(String source, double price, long timeMillis, SourceState state) {
}
