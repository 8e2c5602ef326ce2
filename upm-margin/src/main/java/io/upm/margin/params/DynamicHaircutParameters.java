package io.upm.margin.params;

import io.upm.input.InputException;
import io.upm.input.NumberOption;
import io.upm.input.ValueRange;
import java.util.List;

/**
 * The parameters of the dynamic haircut of MODEL.md section 10, which raises the tiered haircut of section 6
 * (the floor) for volatile collateral, depegged stablecoins and large balances:
 * {@code h = min(1, max(tier(v), vol, depeg) + size)} with
 * {@code vol = volQuantile x sigma x sqrt(1/365)} (assets without a risk unit only),
 * {@code depeg = depegMultiplier x max(0, (1 - depegTolerance) - p)} (stablecoins only) and
 * {@code size = impactFactor x sigma x sqrt(v / ADV) x sqrt(1/365)} (where ADV is known). Immutable and always
 * valid; set under {@code dynamicHaircut} in a parameters file. {@link #off()} sets every factor to 0: the
 * haircut is then the tiered one of section 6, bit for bit.
 *
 * @param volQuantile     the one-sided normal quantile of the volatility term (2.33: 99%)
 * @param depegTolerance  how far below 1 USD a stablecoin may trade before the depeg term starts, a fraction
 * @param depegMultiplier the depeg term per unit of price below the tolerance
 * @param impactFactor    the square-root impact factor of the size term
 */
public record DynamicHaircutParameters(double volQuantile, double depegTolerance, double depegMultiplier,
                                       double impactFactor) {

    /** The key of these parameters in a parameters file. */
    public static final String PARAMETERS_KEY = "dynamicHaircut";
    /** The normal quantile of the volatility term: in [0, 10]; 2.33 (one-sided 99%). */
    public static final NumberOption VOL_QUANTILE = NumberOption.of("volQuantile", "standard deviations", 2.33,
        ValueRange.closed(0, 10));
    /** Depeg tolerance: a fraction of 1 USD, in [0, 1]; 0.005. */
    public static final NumberOption DEPEG_TOLERANCE = NumberOption.of("depegTolerance", "fraction of 1 USD", 0.005,
        ValueRange.closed(0, 1));
    /** Depeg multiplier: haircut per USD of price below the tolerance, in [0, 100]; 2 (a 3% depeg costs 5%). */
    public static final NumberOption DEPEG_MULTIPLIER = NumberOption.of("depegMultiplier",
        "haircut per USD below the tolerance", 2, ValueRange.closed(0, 100));
    /** Square-root impact factor of the size term: in [0, 100]; 0.5. */
    public static final NumberOption IMPACT_FACTOR = NumberOption.of("impactFactor", "factor", 0.5,
        ValueRange.closed(0, 100));
    /** Every option, in component (and parameters-file) order. */
    public static final List<NumberOption> OPTIONS = List.of(VOL_QUANTILE, DEPEG_TOLERANCE, DEPEG_MULTIPLIER,
        IMPACT_FACTOR);

    /**
     * Validated parameters.
     *
     * @throws InputException naming the first value out of its range by its key ({@code volQuantile})
     */
    public DynamicHaircutParameters {
        VOL_QUANTILE.check(volQuantile, "");
        DEPEG_TOLERANCE.check(depegTolerance, "");
        DEPEG_MULTIPLIER.check(depegMultiplier, "");
        IMPACT_FACTOR.check(impactFactor, "");
    }

    /** MODEL.md section 10's values. */
    public static DynamicHaircutParameters defaults() {
        return new DynamicHaircutParameters(VOL_QUANTILE.defaultValue(), DEPEG_TOLERANCE.defaultValue(),
            DEPEG_MULTIPLIER.defaultValue(), IMPACT_FACTOR.defaultValue());
    }

    /** No dynamic term at all: the haircut is the tiered one of MODEL.md section 6 (static tiers). */
    public static DynamicHaircutParameters off() {
        return new DynamicHaircutParameters(0, DEPEG_TOLERANCE.defaultValue(), 0, 0);
    }

    /** True when every term is switched off (the haircut is exactly the tier's). */
    public boolean isOff() {
        return volQuantile == 0 && depegMultiplier == 0 && impactFactor == 0;
    }
}
