package io.upm.engine.liquidation;

import io.upm.engine.core.Ledger;

/**
 * Observes every balance change that liquidation makes, on accounts and on the insurance fund (whose party is
 * {@link InsuranceFund#PARTY}), so that money can be reconciled exactly: each account's and the fund's balances are
 * the running sums of their flows, and every transfer inside the venue (a fee, an auto-deleveraging payment, a
 * takeover of a bankrupt account's balances) appears as two flows of the same amount with opposite signs.
 */
@FunctionalInterface
public interface MoneyFlows {
    /** The categories of liquidation's balance changes. */
    enum Kind {
        /** Realised P&amp;L of a closed perpetual or future (Ledger's REALISED). */
        REALISED,
        /** An option premium (Ledger's PREMIUM). */
        PREMIUM,
        /** A coin balance sold (or a coin loan bought back) for USDC in a liquidation step: both legs. */
        SPOT,
        /** The liquidation fee: paid by the account, received by the fund. */
        LIQUIDATION_FEE,
        /** Auto-deleveraging: paid by a counterparty to the bankrupt account. */
        DELEVERAGING,
        /** A bankrupt account's remaining balance, taken over by the fund. */
        TAKEOVER
    }

    /** A balance change of {@code amount} units of {@code asset} for {@code party} (an account id or the fund). */
    void flow(String party, String asset, Kind kind, double amount);

    /** An observer that ignores everything. */
    MoneyFlows NONE = (party, asset, kind, amount) -> { };

    /** Ledger's observer for the trades liquidation makes: realised P&amp;L, premiums and the fee paid. */
    static Ledger.Flows ledger(MoneyFlows flows) {
        if (flows == NONE) {
            return Ledger.NONE;
        }
        return (account, asset, kind, amount) -> flows.flow(account, asset, switch (kind) {
            case REALISED -> Kind.REALISED;
            case PREMIUM -> Kind.PREMIUM;
            case FEE -> Kind.LIQUIDATION_FEE;
            default -> throw new IllegalStateException("liquidation made a " + kind + " flow");
        }, amount);
    }
}
