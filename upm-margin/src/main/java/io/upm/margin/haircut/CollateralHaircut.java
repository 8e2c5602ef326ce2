package io.upm.margin.haircut;

import io.upm.margin.params.DynamicHaircutParameters;
import java.util.List;

/**
 * The haircut on a positive balance of MODEL.md section 10, term by term. For a balance of asset a worth
 * v USD: {@code h = min(1, max(tier(v), vol, depeg) + size)}, where
 * <ul>
 *   <li>{@code tier(v)} is the effective rate of the tiered schedule of section 6 (its USD haircut / v): the
 *       floor, kept exactly;</li>
 *   <li>{@code vol = q x sigma x sqrt(1/365)} for an asset that is no underlying of a risk unit (a stablecoin:
 *       every other coin balance joins its own unit's matrix, which carries its price risk);</li>
 *   <li>{@code depeg = m x max(0, (1 - tol) - p)} for a stablecoin at price p;</li>
 *   <li>{@code size = f x sigma x sqrt(v / ADV) x sqrt(1/365)} where the asset's ADV and sigma are known.</li>
 * </ul>
 * sigma is the asset's annualised volatility: its EWMA estimate ({@link DailyEwmaVolatility}) or the snapshot's
 * vol ({@link io.upm.margin.RiskArrays#haircutSigma}); when unknown (NaN) the vol and size terms are 0.
 *
 * <p>Computed in USD so that the tier stays bit for bit the floor: {@code haircutUsd = min(v, max(tierUsd,
 * max(vol, depeg) x v) + size x v)}; with every dynamic term 0 that is {@code tierUsd} itself.
 *
 * <p>Stateless; every method is pure and allocation-free.
 */
public final class CollateralHaircut {
    /** The term that set the haircut: the tiered floor (also on ties, and for a haircut of 0). */
    public static final int TIER = 0;
    /** The term that set the haircut: the volatility term. */
    public static final int VOLATILITY = 1;
    /** The term that set the haircut: the depeg term. */
    public static final int DEPEG = 2;
    /** The report names of the terms, by index ({@link #TIER}, {@link #VOLATILITY}, {@link #DEPEG}). */
    public static final List<String> TERM_NAMES = List.of("tier", "volatility", "depeg");
    /** sqrt(1/365): one day of an annualised volatility. */
    public static final double ONE_DAY = Math.sqrt(1.0 / 365.0);

    private CollateralHaircut() {
    }

    /** The volatility term q x sigma x sqrt(1/365), a rate; 0 when sigma is unknown (NaN). */
    public static double volatilityRate(DynamicHaircutParameters p, double sigma) {
        return Double.isNaN(sigma) ? 0.0 : p.volQuantile() * sigma * ONE_DAY;
    }

    /** The depeg term m x max(0, (1 - tol) - price), a rate; 0 for an unknown price (NaN). */
    public static double depegRate(DynamicHaircutParameters p, double price) {
        if (Double.isNaN(price)) {
            return 0.0;
        }
        return p.depegMultiplier() * Math.max(0.0, (1.0 - p.depegTolerance()) - price);
    }

    /**
     * The size term's coefficient k with {@code size = k x sqrt(v)}: f x sigma x sqrt(1/365) / sqrt(ADV); 0 when
     * sigma or ADV is unknown (NaN).
     */
    public static double sizeCoefficient(DynamicHaircutParameters p, double sigma, double advUsd) {
        if (Double.isNaN(sigma) || Double.isNaN(advUsd)) {
            return 0.0;
        }
        return p.impactFactor() * sigma * ONE_DAY / Math.sqrt(advUsd);
    }

    /**
     * The haircut in USD on a balance worth {@code valueUsd}.
     *
     * @param tierUsd   the tiered schedule's haircut on that value, USD
     * @param floorRate max(vol, depeg), a rate
     * @param sizeRate  the size term at that value, a rate
     * @param valueUsd  the balance's USD value (0 for a non-positive value)
     */
    public static double haircutUsd(double tierUsd, double floorRate, double sizeRate, double valueUsd) {
        if (!(valueUsd > 0)) {
            return 0.0;
        }
        if (floorRate == 0.0 && sizeRate == 0.0) {
            return tierUsd;
        }
        return Math.min(valueUsd, Math.max(tierUsd, floorRate * valueUsd) + sizeRate * valueUsd);
    }

    /**
     * Which term set a haircut: {@link #TIER} unless the volatility or the depeg term is strictly above the tier's
     * rate (the larger of the two; the volatility term on a tie between them).
     */
    public static int bindingTerm(double tierRate, double volatilityRate, double depegRate) {
        double dynamic = Math.max(volatilityRate, depegRate);
        if (!(dynamic > tierRate)) {
            return TIER;
        }
        return depegRate > volatilityRate ? DEPEG : VOLATILITY;
    }
}
