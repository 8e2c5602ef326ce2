package io.upm.backtest.simulate;

import io.upm.engine.liquidation.LiquidationParameters;
import io.upm.margin.RiskArrays;
import io.upm.pricing.ResolvedInstrument;

/**
 * MODEL.md section 11's execution price of a liquidation trade, for the policies that close whole positions
 * ({@code close-out}, {@code siloed}); the same formulas as {@code LiquidationPlanner}'s (docs/liquidation.md: the mark
 * moved against the account by f = halfSpread + impactFactor x sigma x sqrt(N / ADV) x sqrt(1/365); an option's price
 * moved by f x |delta| x S per unit with its delta notional inside the root, never below 0). Stateless.
 */
public final class ImpactPricing {
    private static final double SQRT_1_OVER_365 = Math.sqrt(1.0 / 365.0);

    private ImpactPricing() {
    }

    /**
     * A priced close.
     *
     * @param price         the fill price (USD; inverse options in coin)
     * @param notionalUsd   the notional (options: underlying notional)
     * @param impactCostUsd what trading at the price instead of the mark costs the account, USD
     */
    public record Priced(double price, double notionalUsd, double impactCostUsd) {
    }

    /** The impact fraction f of a trade of {@code notionalUsd}. */
    public static double impactFraction(double notionalUsd, double adv, double sigma, LiquidationParameters lp) {
        double f = lp.halfSpread();
        if (adv > 0.0 && sigma > 0.0) {
            f += lp.impactFactor() * sigma * Math.sqrt(notionalUsd / adv) * SQRT_1_OVER_365;
        }
        return f;
    }

    /** Closing {@code x} units (the position's sign) of instrument i. */
    public static Priced close(RiskArrays arrays, int i, double x, double sigma, LiquidationParameters lp) {
        ResolvedInstrument r = arrays.instrument(i);
        double adv = arrays.adv(arrays.instrumentAsset(i));
        double side = Math.signum(x);
        if (r.isOption()) {
            double v = arrays.optionValue(i);
            double delta = Math.abs(arrays.greek(i, ResolvedInstrument.DELTA));
            double f = impactFraction(Math.abs(x) * delta * r.spot(), adv, sigma, lp);
            double usd = Math.max(0.0, v - side * f * delta * r.spot());
            return new Priced(r.isLinear() ? usd : usd / r.spot(), Math.abs(x) * r.spot(), Math.abs(x) * Math.abs(usd - v));
        }
        double m = r.mark();
        double notional = Math.abs(x) * (r.isLinear() ? m : 1.0);
        double p = m * (1.0 - side * impactFraction(notional, adv, sigma, lp));
        double cost = r.isLinear() ? Math.abs(x) * Math.abs(m - p) : Math.abs(x) * Math.abs(1.0 / m - 1.0 / p) * r.spot();
        return new Priced(p, notional, cost);
    }

    /** Selling {@code x} coins of asset a for USDC at the index (buying back when x &lt; 0). */
    public static Priced spot(RiskArrays arrays, int a, double x, double sigma, LiquidationParameters lp) {
        double s = arrays.assetPrice(a);
        double notional = Math.abs(x) * s;
        double p = s * (1.0 - Math.signum(x) * impactFraction(notional, arrays.adv(a), sigma, lp));
        return new Priced(p, notional, Math.abs(x) * Math.abs(s - p));
    }

    /** USD value of a position (MODEL.md section 2): unrealised P&amp;L of a perpetual, value of an option. */
    public static double positionValueUsd(RiskArrays arrays, int i, double size, double entry) {
        ResolvedInstrument r = arrays.instrument(i);
        if (r.isOption()) {
            return size * arrays.optionValue(i);
        }
        return r.isLinear() ? size * (r.mark() - entry) : size * (1.0 / entry - 1.0 / r.mark()) * r.spot();
    }
}
