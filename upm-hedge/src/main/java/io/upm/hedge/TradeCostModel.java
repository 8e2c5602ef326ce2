package io.upm.hedge;

import io.upm.input.InputException;
import io.upm.market.MarketSnapshot;
import io.upm.market.VolSurface;
import io.upm.pricing.ResolvedInstrument;

/**
 * The expected cost of executing a trade (MODEL.md section 11's execution price): the price is moved against the
 * trader by the fraction f = halfSpread + impactFactor x sigma x sqrt(N / ADV) x sqrt(horizonYears), so a trade of
 * size q costs |q| x P x f, where
 * <ul>
 *   <li>P is the USD amount the fraction applies to per unit of size: the mark for linear perpetuals and futures, 1
 *       for inverse ones (their size is USD notional), and for options the underlying's index (the move is taken
 *       on the underlying notional, as MODEL.md section 11 takes the liquidation fee of an option), with the cost per
 *       unit capped at the option's premium (an option never costs more than its own value to cross);</li>
 *   <li>N is the trade's underlying notional in USD: |q| x index for linear contracts and options, |q| for inverse
 *       perpetuals and futures;</li>
 *   <li>sigma is the underlying's at-the-money implied vol at {@code volTenorDays} from the snapshot (strike = index),
 *       or {@code defaultVolatility} when the snapshot has no vols for it;</li>
 *   <li>ADV is the underlying's average daily volume; without one, the impact term is 0 (half-spread only).</li>
 * </ul>
 * The cost is convex in |q| (it grows as |q|^1.5). An option whose premium is below {@code minOptionPremium} of the
 * index (default 1e-4: one tick of Deribit's BTC and ETH options, 0.0001 coin) cannot be bought at its model value
 * and is no hedge candidate ({@link #tradable}). Immutable and thread-safe.
 *
 * @param halfSpread        fraction of the price, default 0.001
 * @param impactFactor      default 0.5
 * @param horizonYears      default 1/365 (one day)
 * @param defaultVolatility annualised vol used when the snapshot has none for the underlying, default 1.0
 * @param volTenorDays      tenor of the at-the-money vol, days, default 30
 * @param minOptionPremium  the least option premium traded, as a fraction of the index, default 1e-4
 */
public record TradeCostModel(double halfSpread, double impactFactor, double horizonYears, double defaultVolatility,
                             double volTenorDays, double minOptionPremium) {
    /** MODEL.md section 11's figures. */
    public static final TradeCostModel DEFAULT = new TradeCostModel(0.001, 0.5, 1.0 / 365.0, 1.0, 30.0, 1e-4);

    /** A validated model. */
    public TradeCostModel {
        positive(halfSpread, "halfSpread", true);
        positive(impactFactor, "impactFactor", false);
        positive(horizonYears, "horizonYears", true);
        positive(defaultVolatility, "defaultVolatility", true);
        positive(volTenorDays, "volTenorDays", true);
        positive(minOptionPremium, "minOptionPremium", false);
    }

    private static void positive(double v, String field, boolean strict) {
        if (!Double.isFinite(v) || v < 0 || (strict && v == 0)) {
            throw new InputException(field, "must be a finite number " + (strict ? "> 0" : ">= 0") + ", got " + v);
        }
    }

    /** The volatility sigma of an underlying for the impact term (see the class documentation). */
    public double volatility(MarketSnapshot market, String underlying) {
        VolSurface s = market.volSurface(underlying);
        double spot = market.priceOrNaN(underlying);
        if (s == null || !(spot > 0)) {
            return defaultVolatility;
        }
        long now = market.time().getEpochSecond();
        double v = s.vol(spot, now + Math.round(volTenorDays * 86400.0), now);
        return v > 0 && Double.isFinite(v) ? v : defaultVolatility;
    }

    /** Whether an instrument can be traded as a hedge: any perpetual or future, an option worth at least the minimum. */
    public boolean tradable(ResolvedInstrument r) {
        return !r.isOption() || r.value(0.0) >= minOptionPremium * r.spot();
    }

    /** The USD amount P the price fraction applies to, per unit of size (see the class documentation). */
    public static double unitPrice(ResolvedInstrument r) {
        if (r.isOption()) {
            return r.spot();
        }
        return r.isInverseDelta1() ? 1.0 : r.mark();
    }

    /**
     * The cost in USD per unit of size of a trade of {@code absSize} units: P x f, for options at most the premium.
     *
     * @param sigma the underlying's vol ({@link #volatility})
     * @param adv   the underlying's ADV in USD, NaN when unknown
     */
    public double unitCost(ResolvedInstrument r, double absSize, double sigma, double adv) {
        double c = unitPrice(r) * rate(r, absSize, sigma, adv);
        return r.isOption() ? Math.min(c, r.value(0.0)) : c;
    }

    /** Underlying notional in USD of one unit of size. */
    public static double unitNotional(ResolvedInstrument r) {
        return r.isInverseDelta1() ? 1.0 : r.spot();
    }

    /**
     * The price fraction f paid on a trade of {@code absSize} units.
     *
     * @param sigma the underlying's vol ({@link #volatility})
     * @param adv   the underlying's ADV in USD, NaN when unknown
     */
    public double rate(ResolvedInstrument r, double absSize, double sigma, double adv) {
        double impact = 0.0;
        if (adv > 0) {
            impact = impactFactor * sigma * Math.sqrt(absSize * unitNotional(r) / adv) * Math.sqrt(horizonYears);
        }
        return halfSpread + impact;
    }

    /** The cost in USD of trading {@code size} units (either sign). */
    public double cost(ResolvedInstrument r, double size, double sigma, double adv) {
        double q = Math.abs(size);
        return q * unitCost(r, q, sigma, adv);
    }
}
