package io.upm.hedge;

import io.upm.margin.MarginResult;
import io.upm.product.Portfolio;
import java.util.List;

/**
 * The optimiser's answer for one account: the trades, the account before and after them, and how the answer was
 * found. Every margin figure here comes from the ordinary risk core ({@link io.upm.margin.AccountMarginCalculator})
 * applied to {@link #hedgedPortfolio()}, never from the optimiser's linear model. Immutable.
 *
 * @param goal            the goal asked for
 * @param goalReached     whether the hedged portfolio meets it (for {@code min-mm}: true)
 * @param trades          the trades, in a canonical order (by instrument name); empty when the account already meets
 *                        the goal or no trade helps
 * @param totalCost       sum of the trades' costs, USD
 * @param before          the account's figures now
 * @param after           the figures of {@link #hedgedPortfolio()}
 * @param hedgedPortfolio the portfolio with the trades added as positions at their prices, option premiums paid from
 *                        the settlement currency and the costs taken from USDC (in trade order: position, premium,
 *                        cost), exactly what {@code upm margin} would be given
 * @param modelMaintenanceMargin the linear model's MM of the chosen trades (an upper bound of the calculator's MM up
 *                        to the liquidity add-on's chords; NaN when no programme was solved)
 * @param programmes      how many linear programmes were solved
 * @param evaluations     how many times the risk core margined a candidate plan
 */
public record HedgePlan(HedgeGoal goal, boolean goalReached, List<HedgeTrade> trades, double totalCost,
                        MarginResult before, MarginResult after, Portfolio hedgedPortfolio,
                        double modelMaintenanceMargin, int programmes, int evaluations) {
    /** An immutable plan. */
    public HedgePlan {
        trades = List.copyOf(trades);
    }
}
