package io.upm.engine.event;

import java.util.Objects;

/**
 * One trade of a hedge in an event ({@code hedge}, or a {@code margin-call}'s {@code hedge} member): the hedge
 * optimiser's trade as the engine reports it. Immutable.
 *
 * @param instrument the instrument's name
 * @param size       signed size in the instrument's size unit (buy &gt; 0)
 * @param price      the price the trade is valued at: the mark for perpetuals and futures (USD), the model premium
 *                   for options
 * @param cost       the expected execution cost, USD (half-spread plus the impact of MODEL.md section 11)
 */
public record SuggestedTrade(String instrument, double size, double price, double cost) {
    /** Checks the required fields. */
    public SuggestedTrade {
        Objects.requireNonNull(instrument, "instrument");
    }
}
