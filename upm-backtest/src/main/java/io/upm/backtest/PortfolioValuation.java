package io.upm.backtest;

import io.upm.input.InputException;
import io.upm.market.MarketSnapshot;
import io.upm.pricing.ResolvedInstrument;
import io.upm.product.EuropeanOption;
import io.upm.product.Instrument;
import io.upm.product.Portfolio;
import io.upm.product.Position;
import java.util.Map;
import java.util.Set;

/**
 * The USD value of an account's holdings on a snapshot (MODEL.md section 2): balances at their index
 * price (stablecoins without a price at 1), perpetuals and futures as unrealised P&amp;L against their entry
 * price, options at Black-76. An instrument that expired at or before the snapshot time is worth its
 * settlement value against the snapshot's index (an option its intrinsic value, a future its P&amp;L at
 * the index): the daily data have no price at the 08:00 UTC expiry instant, so the next close stands in.
 *
 * <p>Stateless and thread-safe.
 */
public final class PortfolioValuation {
    private PortfolioValuation() {
    }

    /**
     * The value of the holdings in USD.
     *
     * @param stablecoins assets worth 1 USD where the snapshot has no price
     * @throws InputException naming the balance or position the snapshot cannot price
     */
    public static double value(Portfolio portfolio, MarketSnapshot market, Set<String> stablecoins) {
        double total = 0.0;
        for (Map.Entry<String, Double> e : portfolio.balances().entrySet()) {
            double p = market.priceOrNaN(e.getKey());
            if (Double.isNaN(p)) {
                if (!stablecoins.contains(e.getKey())) {
                    throw new InputException("balances." + e.getKey(), "no price for " + e.getKey() + " on "
                        + market.time());
                }
                p = 1.0;
            }
            total += e.getValue() * p;
        }
        for (int k = 0; k < portfolio.positions().size(); k++) {
            Position pos = portfolio.positions().get(k);
            total += pos.size() * unitValue(pos, market, "positions[" + k + "].instrument");
        }
        return total;
    }

    /** The value of one unit of a position's size. */
    static double unitValue(Position pos, MarketSnapshot market, String field) {
        Instrument ins = pos.instrument();
        if (ins.expiry() != null && !ins.expiry().isAfter(market.time())) {
            double s = market.priceOrNaN(ins.underlying());
            if (Double.isNaN(s)) {
                throw new InputException(field, "no index price for " + ins.underlying() + " on " + market.time());
            }
            if (ins instanceof EuropeanOption o) {
                return o.type().isCall() ? Math.max(0.0, s - o.strike()) : Math.max(0.0, o.strike() - s);
            }
            double e = pos.entryPrice();
            return ins.isLinear() ? s - e : (1.0 / e - 1.0 / s) * s;
        }
        return ResolvedInstrument.resolve(ins, market, field).value(pos.entryPrice());
    }
}
