package io.upm.engine.liquidation;

import io.upm.margin.AccountMarginCalculator;
import io.upm.margin.RiskArrays;
import io.upm.margin.account.AccountState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * What the engine is to do with the liquidation components (docs/liquidation.md), as a test harness over plain
 * account states: minute by minute, the accounts in liquidation in the guard's queue order, each planned and stepped
 * while the guard allows; bankrupt accounts through the fund and auto-deleveraging. Every command it applies is
 * journaled as a JSON line first, and every decision is kept for the checks.
 */
final class LiquidationDriver {
    final RiskArrays arrays;
    final TreeMap<String, AccountState> accounts = new TreeMap<>();
    final InsuranceFund fund;
    final LiquidationParameters params;
    final AccountMarginCalculator calc = new AccountMarginCalculator();
    final LiquidationPlanner planner;
    final AutoDeleveraging adl = new AutoDeleveraging(calc);
    final CascadeGuard guard;
    final MoneyFlows flows;
    final boolean useGuard;
    final boolean[] stale;
    final List<String> journal = new ArrayList<>();
    final List<LiquidationDecision> steps = new ArrayList<>();
    final List<BankruptcyResolution> resolutions = new ArrayList<>();
    /** Per minute, the accounts in the order they were taken from the queue, with their margin ratio. */
    final List<List<double[]>> queueOrder = new ArrayList<>();
    double impactPaid;

    LiquidationDriver(RiskArrays arrays, List<AccountState> states, InsuranceFund fund, LiquidationParameters params,
                      boolean useGuard, boolean[] stale, MoneyFlows flows) {
        this.arrays = arrays;
        states.forEach(s -> accounts.put(s.account(), s));
        this.fund = fund;
        this.params = params;
        this.planner = new LiquidationPlanner(params, calc);
        this.guard = new CascadeGuard(params);
        this.useGuard = useGuard;
        this.stale = stale;
        this.flows = flows;
    }

    /** Runs up to {@code minutes} minutes of engine time from {@code start}. */
    void run(Instant start, int minutes, double[] vol) {
        for (int m = 0; m < minutes; m++) {
            Instant now = start.plusSeconds(60L * m);
            for (AccountState s : accounts.values()) {
                double[] f = LiquidationFixtures.figures(calc, s);
                boolean liquidating = f[0] < f[1] || guard.isQueued(s.account())
                    || (f[0] < 0 && (s.positionCount() > 0 || s.balanceCount() > 0));
                if (liquidating) {
                    guard.enqueue(s.account(), CascadeGuard.marginRatio(f[0], f[1]));
                }
            }
            List<String> order = guard.queue();
            if (order.isEmpty()) {
                return;
            }
            List<double[]> seen = new ArrayList<>();
            for (String id : order) {
                AccountState s = accounts.get(id);
                double[] f = LiquidationFixtures.figures(calc, s);
                seen.add(new double[] {CascadeGuard.marginRatio(f[0], f[1])});
                if (step(s, now, vol)) {
                    guard.remove(id);
                }
            }
            queueOrder.add(seen);
        }
    }

    /** Liquidates one account as far as this minute allows; true when its liquidation is over. */
    boolean step(AccountState s, Instant now, double[] vol) {
        if (stale != null && LiquidationPlanner.touchesStaleIndex(arrays, s, stale)) {
            return false; // waits in the queue until the index is fresh
        }
        for (int guardRail = 0; guardRail < 10_000; guardRail++) {
            double[] f = LiquidationFixtures.figures(calc, s);
            if (f[0] < 0.0) {
                double g = AutoDeleveraging.grossValueUsd(arrays, s);
                double close = planner.closeOutCostUsd(arrays, s, vol);
                if (s.positionCount() == 0 || AutoDeleveraging.deleverageNow(fund.valueUsd(arrays), g, close, true)) {
                    BankruptcyResolution r = adl.resolve(arrays, s, accounts.values(), fund, now);
                    journal.add(LiquidationCommandCodec.toJsonLine(r));
                    r.applyTo(accounts::get, arrays, fund, flows);
                    resolutions.add(r);
                    return true;
                }
            }
            double[] cap = useGuard ? guard.remainingByAsset(arrays, now.toEpochMilli()) : null;
            LiquidationDecision d = planner.plan(arrays, s, now, vol, cap, stale);
            if (d.outcome() != LiquidationDecision.Outcome.STEP) {
                return d.outcome() != LiquidationDecision.Outcome.GUARD_LIMIT
                    && d.outcome() != LiquidationDecision.Outcome.STALE_INDEX;
            }
            journal.add(LiquidationCommandCodec.toJsonLine(d.step()));
            d.step().applyTo(s, arrays, fund, flows);
            guard.record(d.step());
            steps.add(d);
            impactPaid += d.impactCostUsd();
        }
        throw new AssertionError("no end to the liquidation of " + s.account());
    }
}
