package io.upm.margin;

import io.upm.input.InputException;
import io.upm.margin.params.MarginParameters;
import io.upm.market.MarketSnapshot;
import io.upm.product.Portfolio;
import java.util.List;

/**
 * "What if I add this?": the account's margin before and after a set of hypothetical orders, and
 * whether the venue would accept them (MODEL.md section 6: after them equity &gt;= IM, or they lower MM).
 * A refusal is a result, not an exception.
 *
 * @param before                 the report now
 * @param after                  the report with the orders applied
 * @param maintenanceMarginChange after MM minus before MM
 * @param initialMarginChange    after IM minus before IM
 * @param accepted               whether such orders would be accepted
 * @param reason                 why, in a sentence
 */
public record WhatIf(MarginReport before, MarginReport after, double maintenanceMarginChange, double initialMarginChange,
                     boolean accepted, String reason) {

    /** Evaluates orders against an account. */
    public static WhatIf evaluate(MarketSnapshot market, Portfolio portfolio, List<MarginCalculator.Order> orders,
                                  MarginParameters params) {
        Portfolio after = portfolio;
        for (int k = 0; k < orders.size(); k++) {
            try {
                after = MarginCalculator.apply(after, orders.get(k), market, "add[" + k + "]");
            } catch (InputException e) {
                throw e.field().startsWith("add[") ? e : e.under("add[" + k + "]");
            }
        }
        MarginReport b = MarginCalculator.report(market, portfolio, params);
        MarginReport a = MarginCalculator.report(market, after, params);
        double dm = a.maintenanceMargin() - b.maintenanceMargin();
        boolean covered = a.equity() >= a.initialMargin();
        boolean lowers = dm < 0;
        String reason = covered ? "accepted: equity covers the initial margin after the order"
            : lowers ? "accepted: the order lowers the maintenance margin"
            : "rejected: equity after the order would be below the initial margin and the order does not lower the "
              + "maintenance margin";
        return new WhatIf(b, a, dm, a.initialMargin() - b.initialMargin(), covered || lowers, reason);
    }
}
