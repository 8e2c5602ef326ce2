package io.upm.engine.liquidation;

import io.upm.engine.core.Ledger;
import io.upm.margin.RiskArrays;
import io.upm.margin.account.AccountState;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * The end of a bankrupt account (MODEL.md section 11), as the engine journals it: first its remaining positions are
 * closed by auto-deleveraging ({@code deleveraging}, empty when the insurance fund could cover the loss and the
 * positions were closed in the market), then the fund takes over every balance the account has left
 * ({@code takeover}): the account ends with no positions, no balances and an equity of exactly 0, and the fund's USD
 * balance moves by the account's net value (down when it covers a deficit). Built by {@link AutoDeleveraging}; like a
 * {@link LiquidationStep} it carries the numbers, so that replay re-applies them.
 *
 * @param time         the engine time
 * @param account      the bankrupt account
 * @param deleveraging the auto-deleveraging transfers, in the order they apply
 * @param takeover     the balances the fund takes over, by asset code
 * @param uncoveredUsd the part of the loss that neither the fund nor auto-deleveraging covered (USD, &gt;= 0): the
 *                     fund's balance is that far below zero afterwards
 */
public record BankruptcyResolution(Instant time, String account, List<AdlTransfer> deleveraging,
                                   List<BalanceTakeover> takeover, double uncoveredUsd) {
    /** Checks the fields; copies the lists. */
    public BankruptcyResolution {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(account, "account");
        deleveraging = List.copyOf(deleveraging);
        takeover = List.copyOf(takeover);
        if (!(uncoveredUsd >= 0.0) || !Double.isFinite(uncoveredUsd)) {
            throw new IllegalArgumentException("uncoveredUsd must be finite and >= 0: " + uncoveredUsd);
        }
    }

    /**
     * Applies the resolution: each transfer (both sides closed at the mark through {@link Ledger#trade}, then the
     * counterparty's payment in USDC), then the takeover of each balance by the fund.
     *
     * @param accounts the engine's accounts by id
     * @return the change of the fund's USD balance (the takeover at the universe's prices)
     * @throws IllegalStateException if a transfer does not reduce both positions or a taken-over balance is not the
     *                               account's whole balance (a broken invariant: the engine must halt)
     */
    public double applyTo(Function<String, AccountState> accounts, RiskArrays arrays, InsuranceFund fund,
                          MoneyFlows flows) {
        AccountState bankrupt = accounts.apply(account);
        applyTransfers(accounts, arrays, flows);
        double change = 0.0;
        for (BalanceTakeover b : takeover) {
            int a = arrays.assetIndex(b.asset());
            if (a < 0 || bankrupt.balance(a) != b.amount()) {
                throw new IllegalStateException("takeover " + b + " is not the whole balance of " + account + " ("
                    + (a < 0 ? "unknown asset" : bankrupt.balance(a)) + ")");
            }
            bankrupt.addBalance(a, -b.amount());
            flows.flow(account, b.asset(), MoneyFlows.Kind.TAKEOVER, -b.amount());
            fund.credit(b.asset(), b.amount(), MoneyFlows.Kind.TAKEOVER, flows);
            change += b.amount() * InsuranceFund.price(arrays, b.asset());
        }
        if (bankrupt.positionCount() != 0 || bankrupt.balanceCount() != 0) {
            throw new IllegalStateException("bankrupt account " + account + " keeps positions or balances after its "
                + "resolution");
        }
        return change;
    }

    /** The auto-deleveraging transfers alone (also how {@link AutoDeleveraging} simulates them on copies). */
    void applyTransfers(Function<String, AccountState> accounts, RiskArrays arrays, MoneyFlows flows) {
        AccountState bankrupt = accounts.apply(account);
        Ledger.Flows ledger = MoneyFlows.ledger(flows);
        for (AdlTransfer t : deleveraging) {
            int i = arrays.instrumentIndex(t.instrument());
            reduces(bankrupt, i, t.size(), t);
            Ledger.trade(bankrupt, arrays, i, t.size(), t.markPrice(), 0.0, ledger);
            if (t.counterparty() != null) {
                AccountState other = accounts.apply(t.counterparty());
                if (other == null) {
                    throw new IllegalStateException("unknown counterparty in " + t);
                }
                reduces(other, i, -t.size(), t);
                Ledger.trade(other, arrays, i, -t.size(), t.markPrice(), 0.0, ledger);
                credit(other, arrays, -t.cashUsd(), flows);
                credit(bankrupt, arrays, t.cashUsd(), flows);
            }
        }
    }

    private static void reduces(AccountState s, int i, double size, AdlTransfer t) {
        double q = i < 0 ? 0.0 : s.positionSize(i);
        if (q == 0.0 || Math.signum(q) == Math.signum(size) || Math.abs(size) > Math.abs(q)) {
            throw new IllegalStateException(t + " does not reduce the position of " + s.account() + " (" + q + ")");
        }
    }

    private static void credit(AccountState s, RiskArrays arrays, double usd, MoneyFlows flows) {
        if (usd == 0.0) {
            return;
        }
        s.addBalance(arrays.assetIndex(Ledger.FEE_CURRENCY), usd);
        flows.flow(s.account(), Ledger.FEE_CURRENCY, MoneyFlows.Kind.DELEVERAGING, usd);
    }
}
