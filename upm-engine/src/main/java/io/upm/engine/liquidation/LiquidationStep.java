package io.upm.engine.liquidation;

import io.upm.engine.core.Ledger;
import io.upm.engine.event.LiquidationEvent;
import io.upm.margin.RiskArrays;
import io.upm.margin.account.AccountState;
import java.time.Instant;
import java.util.Objects;

/**
 * One step of a liquidation as the engine journals it: the account closes {@code size} of {@code instrument} at
 * {@code price} and pays {@code feeUsd} to the insurance fund. It carries the numbers, not the reasons: applying the
 * journaled record re-does exactly the same trade, so recovery and replay reproduce it bit for bit whatever the
 * planner would decide today. A spot step ({@code instrument} a coin's code) sells part of a coin balance, or buys
 * back part of a coin loan, against USDC: a coin balance is part of its risk unit (MODEL.md section 3), and an account
 * whose positions hedge its coins could otherwise not be brought back to its target.
 *
 * @param time          the engine time of the step (that of the command that triggered it)
 * @param account       the account liquidated
 * @param instrument    the instrument's name, or for a spot step the coin's asset code (e.g. {@code BTC})
 * @param size          the account's trade, signed (opposite to its position or coin balance, at most its size)
 * @param price         the trade's price as a fill's: USD, except inverse options in coin per unit; for a spot
 *                      step USD (USDC) per coin
 * @param feeUsd        the liquidation fee, USD, paid from the account's USDC balance to the fund
 * @param notionalUsd   the slice's notional, USD (underlying notional for options): what the cascade guard counts
 * @param underlying    the instrument's underlying (the cascade guard's key)
 */
public record LiquidationStep(Instant time, String account, String instrument, double size, double price,
                              double feeUsd, double notionalUsd, String underlying) {
    /** Checks the fields. */
    public LiquidationStep {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(instrument, "instrument");
        Objects.requireNonNull(underlying, "underlying");
        if (!Double.isFinite(size) || size == 0.0) {
            throw new IllegalArgumentException("size must be finite and not 0: " + size);
        }
        if (!(price >= 0.0) || !Double.isFinite(price)) {
            throw new IllegalArgumentException("price must be finite and >= 0: " + price);
        }
        if (!(feeUsd >= 0.0) || !Double.isFinite(feeUsd)) {
            throw new IllegalArgumentException("feeUsd must be finite and >= 0: " + feeUsd);
        }
        if (!(notionalUsd >= 0.0) || !Double.isFinite(notionalUsd)) {
            throw new IllegalArgumentException("notionalUsd must be finite and >= 0: " + notionalUsd);
        }
    }

    /**
     * Applies the step: the trade through {@link Ledger#trade} (entry prices, realised P&amp;L or premium, the fee from
     * USDC) and the fee into the fund.
     *
     * @throws IllegalStateException if the step does not reduce a position of the account (a broken invariant: the
     *                               engine must halt rather than go on from a state the journal does not explain)
     */
    public void applyTo(AccountState state, RiskArrays arrays, InsuranceFund fund, MoneyFlows flows) {
        if (!state.account().equals(account)) {
            throw new IllegalStateException("step of " + account + " applied to " + state.account());
        }
        int i = arrays.instrumentIndex(instrument);
        if (i < 0 && isSpot(arrays)) {
            int a = arrays.assetIndex(instrument);
            double x = state.balance(a);
            if (x == 0.0 || Math.signum(x) == Math.signum(size) || Math.abs(size) > Math.abs(x)) {
                throw new IllegalStateException("spot liquidation step " + this + " does not reduce the balance of "
                    + account + " (" + x + ")");
            }
            int usdc = arrays.assetIndex(Ledger.FEE_CURRENCY);
            double cash = -size * price;
            state.addBalance(a, size);
            flows.flow(account, instrument, MoneyFlows.Kind.SPOT, size);
            state.addBalance(usdc, cash);
            flows.flow(account, Ledger.FEE_CURRENCY, MoneyFlows.Kind.SPOT, cash);
            if (feeUsd != 0.0) {
                state.addBalance(usdc, -feeUsd);
                flows.flow(account, Ledger.FEE_CURRENCY, MoneyFlows.Kind.LIQUIDATION_FEE, -feeUsd);
            }
            fund.credit(Ledger.FEE_CURRENCY, feeUsd, MoneyFlows.Kind.LIQUIDATION_FEE, flows);
            return;
        }
        double q = i < 0 ? 0.0 : state.positionSize(i);
        if (q == 0.0 || Math.signum(q) == Math.signum(size) || Math.abs(size) > Math.abs(q)) {
            throw new IllegalStateException("liquidation step " + this + " does not reduce a position of " + account
                + " (position " + q + ")");
        }
        Ledger.trade(state, arrays, i, size, price, feeUsd, MoneyFlows.ledger(flows));
        fund.credit(Ledger.FEE_CURRENCY, feeUsd, MoneyFlows.Kind.LIQUIDATION_FEE, flows);
    }

    /** True when this is a spot step: {@code instrument} names a coin of the universe, not an instrument. */
    public boolean isSpot(RiskArrays arrays) {
        int a = arrays.assetIndex(instrument);
        return a >= 0 && !arrays.isStablecoin(a) && arrays.instrumentIndex(instrument) < 0;
    }

    /** The {@code liquidation} event of this step, with the account's figures after it. */
    public LiquidationEvent toEvent(long seq, double maintenanceMarginAfter, double equityAfter) {
        return new LiquidationEvent(seq, account, instrument, size, price, feeUsd, maintenanceMarginAfter, equityAfter);
    }
}
