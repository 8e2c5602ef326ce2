package io.upm.engine.core;

import io.upm.margin.RiskArrays;
import io.upm.margin.account.AccountState;
import io.upm.pricing.ResolvedInstrument;
import io.upm.product.EuropeanOption;
import io.upm.product.Instrument;
import io.upm.product.Settlement;

/**
 * The accounting of MODEL.md section 12 on an {@link AccountState}: trades (entry prices, realised P&amp;L, option
 * premiums, fees), funding and settlement. Every balance change goes through {@link #credit}, which also reports
 * it to a {@link Flows} observer, so that money can be reconciled to the cent (and bit) by category.
 *
 * <p>Stateless; single-threaded use by the engine's writer.
 */
public final class Ledger {
    /** The stablecoin fees are paid from (MODEL.md section 12). */
    public static final String FEE_CURRENCY = "USDC";

    /** The categories of balance changes. */
    public enum Flow {
        DEPOSIT, WITHDRAWAL, PREMIUM, FEE, FUNDING, REALISED, SETTLEMENT,
        /** What liquidation moves (MODEL.md section 11): its trades, fees, auto-deleveraging and takeovers. */
        LIQUIDATION
    }

    /** Observes every balance change (for reconciliation tests); the engine passes {@link #NONE} otherwise. */
    @FunctionalInterface
    public interface Flows {
        /** A balance change of {@code amount} units of {@code asset} on {@code account}. */
        void flow(String account, String asset, Flow kind, double amount);
    }

    /** An observer that ignores everything. */
    public static final Flows NONE = (account, asset, kind, amount) -> { };

    private Ledger() {
    }

    /** The settlement currency of an instrument: the stablecoin after {@code _} for linear ones, else the coin. */
    public static String settlementCurrency(Instrument ins) {
        if (ins.settlement() == Settlement.INVERSE) {
            return ins.underlying();
        }
        String name = ins.name();
        return name.substring(name.indexOf('_') + 1, name.indexOf('-'));
    }

    /** Adds {@code amount} of an asset to an account's balance, reporting the flow. */
    public static void credit(AccountState s, RiskArrays u, String asset, Flow kind, double amount, Flows flows) {
        if (amount == 0.0) {
            return;
        }
        int a = u.assetIndex(asset);
        if (a < 0) {
            throw new IllegalStateException("asset " + asset + " is not in the universe"); // checked before
        }
        s.addBalance(a, amount);
        flows.flow(s.account(), asset, kind, amount);
    }

    /**
     * A trade of {@code size} at {@code price} in instrument {@code i} (MODEL.md section 12): for perpetuals and
     * futures, a growing position takes the size-weighted (linear) or harmonic (inverse) average entry; a reduction
     * realises P&amp;L in the settlement currency; a flip closes, then opens the rest at the trade price. For options
     * the premium moves the settlement currency's balance (the buyer pays). A fee (USD) is paid from USDC.
     */
    public static void trade(AccountState s, RiskArrays u, int i, double size, double price, double feeUsd, Flows flows) {
        ResolvedInstrument r = u.instrument(i);
        Instrument ins = r.instrument();
        String ccy = settlementCurrency(ins);
        if (ins instanceof EuropeanOption) {
            s.setPosition(i, s.positionSize(i) + size, Double.NaN);
            credit(s, u, ccy, Flow.PREMIUM, -size * price, flows);
        } else {
            double q = s.positionSize(i);
            double e = s.entryPrice(i);
            boolean inverse = ins.settlement() == Settlement.INVERSE;
            double next = q + size;
            if (q == 0.0 || Math.signum(q) == Math.signum(size)) {
                double entry = q == 0.0 ? price
                    : inverse ? next / (q / e + size / price) : (q * e + size * price) / next;
                s.setPosition(i, next, entry);
            } else {
                double closed = Math.signum(q) * Math.min(Math.abs(q), Math.abs(size)); // the part of q closed
                double realised = inverse ? closed * (1.0 / e - 1.0 / price) : closed * (price - e);
                credit(s, u, ccy, Flow.REALISED, realised, flows);
                if (Math.abs(size) > Math.abs(q)) {
                    s.setPosition(i, next, price); // flipped: the rest opens at the trade price
                } else {
                    s.setPosition(i, Math.abs(size) == Math.abs(q) ? 0.0 : next, e);
                }
            }
        }
        if (feeUsd != 0.0) {
            credit(s, u, FEE_CURRENCY, Flow.FEE, -feeUsd, flows);
        }
    }

    /**
     * Funding of a perpetual position at {@code rate} (longs pay when rate &gt; 0): rate x notional at the mark in
     * the settlement currency (inverse: rate x size / mark coins).
     */
    public static void funding(AccountState s, RiskArrays u, int i, double rate, Flows flows) {
        double q = s.positionSize(i);
        if (q == 0.0) {
            return;
        }
        ResolvedInstrument r = u.instrument(i);
        Instrument ins = r.instrument();
        double mark = r.mark();
        double amount = ins.settlement() == Settlement.INVERSE ? -rate * q / mark : -rate * q * mark;
        credit(s, u, settlementCurrency(ins), Flow.FUNDING, amount, flows);
    }

    /**
     * Settles the position in instrument {@code i} at {@code price} and removes it: futures at
     * (price - entry) x size (inverse: size (1/entry - 1/price) coins), options at their intrinsic value against the
     * price (inverse: in coins, divided by the price).
     */
    public static void settle(AccountState s, RiskArrays u, int i, double price, Flows flows) {
        double q = s.positionSize(i);
        if (q == 0.0) {
            return;
        }
        Instrument ins = u.instrument(i).instrument();
        boolean inverse = ins.settlement() == Settlement.INVERSE;
        double amount;
        if (ins instanceof EuropeanOption o) {
            double intrinsic = o.type().isCall() ? Math.max(0.0, price - o.strike()) : Math.max(0.0, o.strike() - price);
            amount = inverse ? q * intrinsic / price : q * intrinsic;
        } else {
            double e = s.entryPrice(i);
            amount = inverse ? q * (1.0 / e - 1.0 / price) : q * (price - e);
        }
        credit(s, u, settlementCurrency(ins), Flow.SETTLEMENT, amount, flows);
        s.setPosition(i, 0.0, 0.0);
    }
}
