package io.upm.product;

import java.time.Instant;

/**
 * A tradable contract, as plain data: what it is, never what it is worth (pricers do that).
 *
 * <p>Instances come from {@link InstrumentNames#parse} (Deribit-style names, FORMATS.md). They are
 * immutable values; equality is by content.
 */
public sealed interface Instrument permits Perpetual, Future, EuropeanOption {

    /** The canonical name, e.g. {@code BTC_USDC-27MAR26-90000-C}. */
    String name();

    /** The underlying asset code, e.g. {@code BTC}. */
    String underlying();

    /** Linear (stablecoin-settled) or inverse (coin-settled). */
    Settlement settlement();

    /** The expiry instant (08:00 UTC on the expiry date); {@code null} for a perpetual. */
    Instant expiry();

    /** True for linear (stablecoin-settled) contracts. */
    default boolean isLinear() {
        return settlement() == Settlement.LINEAR;
    }
}
