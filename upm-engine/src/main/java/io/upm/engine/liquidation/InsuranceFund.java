package io.upm.engine.liquidation;

import io.upm.engine.event.InsuranceEvent;
import io.upm.margin.RiskArrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * The insurance fund (MODEL.md section 11): it receives the liquidation fees (USDC) and takes over what a bankrupt
 * account leaves (its balances, positive or negative, in every asset), so it holds an amount per asset. Its balance
 * in USD is the sum of its holdings at the universe's prices (no haircut: the fund is the venue's own money). A
 * balance below zero is a loss the fund could not cover (see {@link AutoDeleveraging}).
 *
 * <p>Holdings are kept by asset code in a sorted map: iteration, and so every sum, is in one order. Mutable,
 * single-threaded (the engine's writer).
 */
public final class InsuranceFund {
    /** The party name of the fund in {@link MoneyFlows}. */
    public static final String PARTY = "insurance-fund";

    private final TreeMap<String, Double> holdings = new TreeMap<>();

    /** An empty fund. */
    public InsuranceFund() {
    }

    /** A fund holding {@code amount} of one asset (a venue's seed money). */
    public static InsuranceFund of(String asset, double amount) {
        InsuranceFund f = new InsuranceFund();
        f.credit(asset, amount, MoneyFlows.Kind.TAKEOVER, MoneyFlows.NONE);
        return f;
    }

    /** Adds {@code amount} of {@code asset} (negative: takes it away), reporting the flow. */
    public void credit(String asset, double amount, MoneyFlows.Kind kind, MoneyFlows flows) {
        if (amount == 0.0) {
            return;
        }
        double next = holdings.getOrDefault(asset, 0.0) + amount;
        if (next == 0.0) {
            holdings.remove(asset);
        } else {
            holdings.put(asset, next);
        }
        flows.flow(PARTY, asset, kind, amount);
    }

    /** The amount held of an asset (0 when none). */
    public double holding(String asset) {
        return holdings.getOrDefault(asset, 0.0);
    }

    /** The holdings by asset code (a copy, sorted). */
    public Map<String, Double> holdings() {
        return new TreeMap<>(holdings);
    }

    /**
     * The fund's balance in USD: each holding at its price in the universe (stablecoins without a price at the
     * parameters' default price), in asset-code order.
     *
     * @throws IllegalStateException if an asset it holds has no price (a broken invariant: it was priced when taken)
     */
    public double valueUsd(RiskArrays arrays) {
        double v = 0.0;
        for (Map.Entry<String, Double> h : holdings.entrySet()) {
            v += h.getValue() * price(arrays, h.getKey());
        }
        return v;
    }

    /** The {@code insurance} event of a change of {@code changeUsd} caused by {@code account}. */
    public InsuranceEvent event(long seq, RiskArrays arrays, double changeUsd, String account) {
        return new InsuranceEvent(seq, valueUsd(arrays), changeUsd, account);
    }

    /** An independent copy. */
    public InsuranceFund copy() {
        InsuranceFund f = new InsuranceFund();
        f.holdings.putAll(holdings);
        return f;
    }

    static double price(RiskArrays arrays, String asset) {
        int a = arrays.assetIndex(asset);
        double p = a < 0 ? Double.NaN : arrays.assetPrice(a);
        if (Double.isNaN(p)) {
            throw new IllegalStateException("asset " + asset + " has no price in the universe");
        }
        return p;
    }

    @Override
    public String toString() {
        return "InsuranceFund" + holdings;
    }
}
