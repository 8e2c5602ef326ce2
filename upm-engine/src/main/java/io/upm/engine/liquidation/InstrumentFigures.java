package io.upm.engine.liquidation;

import io.upm.margin.RiskArrays;
import io.upm.pricing.ResolvedInstrument;

/**
 * Per-unit figures of an instrument that liquidation prices with, from the universe's cached values (the engine's
 * liquidation and {@code upm simulate} use the same). Stateless.
 */
public final class InstrumentFigures {
    private InstrumentFigures() {
    }

    /**
     * USD notional of one unit of size: the mark for linear perpetuals and futures (size in underlying units), 1 for
     * inverse ones (size in USD), the index for options (their underlying notional).
     */
    public static double notionalPerUnit(RiskArrays arrays, int i) {
        ResolvedInstrument r = arrays.instrument(i);
        if (r.isOption()) {
            return r.spot();
        }
        return r.isLinear() ? r.mark() : 1.0;
    }

    /** The mark as a fill's price: the mark (USD) for perpetuals and futures, the option's value (inverse: in coin). */
    public static double markFillPrice(RiskArrays arrays, int i) {
        ResolvedInstrument r = arrays.instrument(i);
        if (r.isOption()) {
            double v = arrays.optionValue(i);
            return r.isLinear() ? v : v / r.spot();
        }
        return r.mark();
    }

    /** USD value of a position (MODEL.md section 2), as the risk core computes it. */
    static double positionValueUsd(RiskArrays arrays, int i, double size, double entry) {
        ResolvedInstrument r = arrays.instrument(i);
        if (r.isOption()) {
            return size * arrays.optionValue(i);
        }
        return r.isLinear() ? size * (r.mark() - entry) : size * (1.0 / entry - 1.0 / r.mark()) * r.spot();
    }
}
