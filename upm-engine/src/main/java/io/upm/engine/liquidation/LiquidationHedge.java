package io.upm.engine.liquidation;

import io.upm.engine.core.Ledger;
import io.upm.engine.event.LiquidationEvent;
import io.upm.margin.RiskArrays;
import io.upm.margin.account.AccountState;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A hedge that liquidation executes instead of closing positions (hedge first, docs/engine.md), as the engine
 * journals it: its own command line {@code liquidation-hedge}, re-checked on replay like a {@code liquidation-step}.
 * It carries the numbers, not the reasons: applying the journaled record re-does exactly the same trades. Each trade
 * is booked through {@link Ledger#trade} at its price (the mark moved against the account by the impact fraction of
 * MODEL.md section 11) and pays the liquidation fee to the insurance fund, as a liquidation step does; unlike a step it
 * may open or add to a position (a short perpetual against long coins, say).
 *
 * @param time           the engine time (that of the command that triggered the pass)
 * @param account        the account
 * @param trades         the trades, by instrument name (linear perpetuals and futures)
 * @param costUsd        what the hedge costs the account: impact plus fees, USD
 * @param closingCostUsd what the planner's closing steps back to the same target would have cost (impact plus fees,
 *                       USD; +infinity when closing cannot reach the target): the figure the hedge was cheaper than
 */
public record LiquidationHedge(Instant time, String account, List<Trade> trades, double costUsd,
                               double closingCostUsd) {
    /**
     * One trade of the hedge.
     *
     * @param instrument  the instrument's name (a linear perpetual or future)
     * @param size        the account's trade, signed (buy &gt; 0), not 0
     * @param price       the trade's price, USD (the mark moved against the account by the impact fraction)
     * @param feeUsd      the liquidation fee, USD, paid from the account's USDC balance to the fund
     * @param notionalUsd |size| x mark, USD: what the cascade guard counts
     * @param underlying  the instrument's underlying (the cascade guard's key)
     */
    public record Trade(String instrument, double size, double price, double feeUsd, double notionalUsd,
                        String underlying) {
        /** Checks the fields. */
        public Trade {
            Objects.requireNonNull(instrument, "instrument");
            Objects.requireNonNull(underlying, "underlying");
            if (!Double.isFinite(size) || size == 0.0) {
                throw new IllegalArgumentException("size must be finite and not 0: " + size);
            }
            if (!(price > 0.0) || !Double.isFinite(price)) {
                throw new IllegalArgumentException("price must be finite and > 0: " + price);
            }
            if (!(feeUsd >= 0.0) || !Double.isFinite(feeUsd)) {
                throw new IllegalArgumentException("feeUsd must be finite and >= 0: " + feeUsd);
            }
            if (!(notionalUsd >= 0.0) || !Double.isFinite(notionalUsd)) {
                throw new IllegalArgumentException("notionalUsd must be finite and >= 0: " + notionalUsd);
            }
        }

        /** The {@code liquidation} event of this trade, with the account's figures after the whole hedge. */
        public LiquidationEvent toEvent(long seq, String account, double maintenanceMarginAfter, double equityAfter) {
            return new LiquidationEvent(seq, account, instrument, size, price, feeUsd, maintenanceMarginAfter,
                equityAfter);
        }
    }

    /** Checks the fields. */
    public LiquidationHedge {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(account, "account");
        trades = List.copyOf(trades);
        if (trades.isEmpty()) {
            throw new IllegalArgumentException("a liquidation hedge has at least one trade");
        }
        if (!(costUsd >= 0.0) || !Double.isFinite(costUsd)) {
            throw new IllegalArgumentException("costUsd must be finite and >= 0: " + costUsd);
        }
        if (!(closingCostUsd >= 0.0)) {
            throw new IllegalArgumentException("closingCostUsd must be >= 0: " + closingCostUsd);
        }
    }

    /**
     * Applies the hedge: every trade through {@link Ledger#trade} (entry prices, realised P&amp;L, the fee from USDC)
     * and its fee into the fund.
     *
     * @param arrays a universe that lists every trade's instrument (the engine lists them first)
     * @throws IllegalStateException if an instrument is not listed or the hedge belongs to another account (a broken
     *                               invariant: the engine must halt)
     */
    public void applyTo(AccountState state, RiskArrays arrays, InsuranceFund fund, MoneyFlows flows) {
        if (!state.account().equals(account)) {
            throw new IllegalStateException("hedge of " + account + " applied to " + state.account());
        }
        for (Trade t : trades) {
            if (arrays.instrumentIndex(t.instrument()) < 0) {
                throw new IllegalStateException("hedge trade in " + t.instrument() + ", which is not listed");
            }
        }
        for (Trade t : trades) {
            Ledger.trade(state, arrays, arrays.instrumentIndex(t.instrument()), t.size(), t.price(), t.feeUsd(),
                MoneyFlows.ledger(flows));
            fund.credit(Ledger.FEE_CURRENCY, t.feeUsd(), MoneyFlows.Kind.LIQUIDATION_FEE, flows);
        }
    }
}
