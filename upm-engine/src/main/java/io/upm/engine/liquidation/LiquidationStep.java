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
 * planner would decide today.
 *
 * @param time          the engine time of the step (that of the command that triggered it)
 * @param account       the account liquidated
 * @param instrument    the instrument's name
 * @param size          the account's trade, signed (opposite to its position, at most its size)
 * @param price         the trade's price as a fill's: USD, except inverse options in coin per unit
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
        double q = i < 0 ? 0.0 : state.positionSize(i);
        if (q == 0.0 || Math.signum(q) == Math.signum(size) || Math.abs(size) > Math.abs(q)) {
            throw new IllegalStateException("liquidation step " + this + " does not reduce a position of " + account
                + " (position " + q + ")");
        }
        Ledger.trade(state, arrays, i, size, price, feeUsd, MoneyFlows.ledger(flows));
        fund.credit(Ledger.FEE_CURRENCY, feeUsd, MoneyFlows.Kind.LIQUIDATION_FEE, flows);
    }

    /** The {@code liquidation} event of this step, with the account's figures after it. */
    public LiquidationEvent toEvent(long seq, double maintenanceMarginAfter, double equityAfter) {
        return new LiquidationEvent(seq, account, instrument, size, price, feeUsd, maintenanceMarginAfter, equityAfter);
    }
}
