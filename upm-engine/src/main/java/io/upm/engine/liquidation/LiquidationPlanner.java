package io.upm.engine.liquidation;

import io.upm.engine.core.Ledger;
import io.upm.margin.AccountMarginCalculator;
import io.upm.margin.ResolvedPortfolio;
import io.upm.margin.RiskArrays;
import io.upm.margin.UnitMatrices;
import io.upm.margin.account.AccountState;
import io.upm.pricing.ResolvedInstrument;
import java.time.Instant;
import java.util.Arrays;

/**
 * Chooses the next step of a liquidation (MODEL.md section 11): among the slices of the account's positions (each at
 * most {@code maxSliceFraction} of its position, the whole position below {@code wholeBelowUsd} of notional, and
 * within what the cascade guard still allows for its underlying this minute), the one that lowers MM most per USD of
 * liquidation cost, cost = impact + fee; none once equity reaches MM + targetFraction x (IM - MM).
 *
 * <p>Prices. A slice of x units trades at the mark moved against the account by the impact fraction
 * f = halfSpread + impactFactor x sigma x sqrt(N / ADV) x sqrt(1/365), N its notional (USD), sigma the unit's
 * annualised vol, ADV the underlying's average daily volume (no square-root term when either is unknown). For an
 * option the move applies to its delta notional: its price moves by f x |delta| x S per unit (N = |x delta| S inside the
 * root), and a sale never goes below 0. Fee: feeRate x N (options: of the underlying notional |x| S, at most the
 * slice's value), at most the equity left after the impact, so a fee never creates bad debt.
 *
 * <p>Coin balances. A coin (not stablecoin) balance is part of its unit (MODEL.md section 3) and is a candidate as a
 * position is: a spot step sells a slice of it for USDC at the index moved down by the same impact, or buys back a
 * slice of a coin loan; fee as for a perpetual. Stablecoin loans are repaid by what the sales bring in.
 *
 * <p>Margin. Every figure is the risk core's ({@link AccountMarginCalculator}): one full compute of the account,
 * then, per slice, the account after the trade (through {@link Ledger#trade}, so realised P&amp;L, premiums and the
 * fee count) re-margined by {@link AccountMarginCalculator#recompute}, which re-sums only the slice's unit and reuses
 * the others. Slices are evaluated unit by unit, and the unit is restored before the next.
 *
 * <p>A bankrupt account (equity &lt; 0) is closed out whatever each slice does to MM (the best score still goes
 * first); otherwise only slices that lower MM are steps.
 *
 * <p>Determinism: candidates in the order (underlying code, instrument name); a tie on the score goes to the first.
 * Single-threaded: it owns scratch state (one {@link UnitMatrices}); use one planner per writer thread, with that
 * thread's calculator.
 */
public final class LiquidationPlanner {
    private static final double SQRT_1_OVER_365 = Math.sqrt(1.0 / 365.0);
    /** A cost below this (USD) counts as this, so a free slice has a finite score. */
    private static final double MIN_COST_USD = 1e-9;

    private final LiquidationParameters params;
    private final AccountMarginCalculator calc;
    private final UnitMatrices keep = new UnitMatrices();
    private int[] candidates = new int[16];

    // the slice priced last by price()
    private double fillPrice;
    private double impactCost;
    private double notional;
    private double valueUsd;

    /**
     * A planner.
     *
     * @param params the liquidation parameters
     * @param calc   the writer thread's calculator (the planner leaves its last-compute state undefined)
     */
    public LiquidationPlanner(LiquidationParameters params, AccountMarginCalculator calc) {
        this.params = params;
        this.calc = calc;
    }

    /** The parameters. */
    public LiquidationParameters params() {
        return params;
    }

    /**
     * The next step for an account.
     *
     * @param arrays       the universe the account's indices refer to
     * @param account      the account (not changed)
     * @param time         the engine time the step gets
     * @param vol          per asset index, the annualised vol for the impact ({@link UnitVolatility}); NaN: none
     * @param notionalCap  per asset index, the USD notional the cascade guard still allows this minute
     *                     ({@link CascadeGuard#remainingByAsset}), or null for no limit
     * @param staleIndex   per asset index, true while its index is stale (MODEL.md section 9), or null when none is
     * @return the decision, with the figures it rests on
     */
    public LiquidationDecision plan(RiskArrays arrays, AccountState account, Instant time, double[] vol,
                                    double[] notionalCap, boolean[] staleIndex) {
        ResolvedPortfolio p = account.resolve(arrays);
        double mm = calc.compute(arrays, p, keep);
        double equity = calc.equity();
        double im = arrays.params().initialMarginMultiplier() * mm;
        double target = mm + params.targetFraction() * (im - mm);
        if (staleIndex != null && touchesStaleIndex(arrays, account, staleIndex)) {
            return none(LiquidationDecision.Outcome.STALE_INDEX, equity, mm, target, 0);
        }
        if (equity >= target) {
            return none(LiquidationDecision.Outcome.TARGET_REACHED, equity, mm, target, 0);
        }
        int n = collectCandidates(arrays, account);
        if (n == 0) {
            return none(LiquidationDecision.Outcome.NO_POSITIONS, equity, mm, target, 0);
        }
        boolean bankrupt = equity < 0.0;
        int best = -1;
        double bestScore = Double.NEGATIVE_INFINITY;
        double bestSize = 0.0;
        double bestPrice = 0.0;
        double bestFee = 0.0;
        double bestNotional = 0.0;
        double bestImpact = 0.0;
        double bestMm = Double.NaN;
        double bestEquity = Double.NaN;
        int evaluated = 0;
        boolean capped = false;
        int unitAsset = -1;
        for (int c = 0; c < n; c++) {
            int i = candidates[c];
            boolean spot = i < 0;
            int a = spot ? -i - 1 : arrays.instrumentAsset(i);
            if (a != unitAsset) {
                if (unitAsset >= 0) {
                    calc.recompute(arrays, p, keep, unitAsset); // restore the previous unit
                }
                unitAsset = a;
            }
            double q = spot ? account.balance(a) : account.positionSize(i);
            double perUnit = spot ? arrays.assetPrice(a) : InstrumentFigures.notionalPerUnit(arrays, i);
            double positionNotional = Math.abs(q) * perUnit;
            double x = positionNotional < params.wholeBelowUsd() ? q : q * params.maxSliceFraction();
            double cap = notionalCap == null ? Double.POSITIVE_INFINITY : notionalCap[a];
            if (Math.abs(x) * perUnit > cap) {
                capped = true;
                if (!(cap > 0.0)) {
                    continue;
                }
                x = q * (cap / positionNotional);
                if (x == 0.0) {
                    continue;
                }
            }
            if (spot) {
                priceSpot(arrays, a, x, vol[a]);
            } else {
                price(arrays, i, x, vol[a]);
            }
            double fee = params.feeRate() * notional;
            if (!spot && arrays.instrument(i).isOption()) {
                fee = Math.min(fee, Math.abs(x) * valueUsd);
            }
            fee = Math.max(0.0, Math.min(fee, equity - impactCost));
            AccountState after = account.copy();
            if (spot) {
                new LiquidationStep(time, account.account(), arrays.asset(a), -x, fillPrice, fee, notional,
                    arrays.asset(a)).applyTo(after, arrays, new InsuranceFund(), MoneyFlows.NONE);
            } else {
                Ledger.trade(after, arrays, i, -x, fillPrice, fee, Ledger.NONE);
            }
            double mmAfter = calc.recompute(arrays, after.resolve(arrays), keep, a);
            double drop = mm - mmAfter;
            evaluated++;
            if (!bankrupt && !(drop > 0.0)) {
                continue;
            }
            double score = drop / Math.max(impactCost + fee, MIN_COST_USD);
            if (score > bestScore) {
                best = c;
                bestScore = score;
                bestSize = -x;
                bestPrice = fillPrice;
                bestFee = fee;
                bestNotional = notional;
                bestImpact = impactCost;
                bestMm = mmAfter;
                bestEquity = calc.equity();
            }
        }
        if (best < 0) {
            return none(capped && evaluated == 0 ? LiquidationDecision.Outcome.GUARD_LIMIT
                : LiquidationDecision.Outcome.NO_SLICE_LOWERS_MM, equity, mm, target, evaluated);
        }
        int chosen = candidates[best];
        int chosenAsset = chosen < 0 ? -chosen - 1 : arrays.instrumentAsset(chosen);
        String name = chosen < 0 ? arrays.asset(chosenAsset) : arrays.instrument(chosen).instrument().name();
        LiquidationStep step = new LiquidationStep(time, account.account(), name, bestSize, bestPrice, bestFee,
            bestNotional, arrays.asset(chosenAsset));
        return new LiquidationDecision(LiquidationDecision.Outcome.STEP, step, equity, mm, target, bestEquity, bestMm,
            bestImpact, bestScore, evaluated);
    }

    /**
     * What closing every position whole, at once, would cost in impact (USD; no fee): an upper bound of the impact
     * of closing them in slices at the same marks (the impact per unit grows with the slice's notional).
     */
    public double closeOutCostUsd(RiskArrays arrays, AccountState account, double[] vol) {
        double cost = 0.0;
        int n = collectCandidates(arrays, account);
        for (int c = 0; c < n; c++) {
            int i = candidates[c];
            if (i < 0) {
                continue; // coin balances are the fund's to take over, not closed out
            }
            price(arrays, i, account.positionSize(i), vol[arrays.instrumentAsset(i)]);
            cost += impactCost;
        }
        return cost;
    }

    /**
     * Prices closing {@code x} units (the position's sign) of instrument i: sets {@link #fillPrice} (as a fill's),
     * {@link #impactCost} (USD), {@link #notional} (USD) and {@link #valueUsd} (per unit, options).
     */
    private void price(RiskArrays arrays, int i, double x, double sigma) {
        ResolvedInstrument r = arrays.instrument(i);
        int a = arrays.instrumentAsset(i);
        double adv = arrays.adv(a);
        double perUnit = InstrumentFigures.notionalPerUnit(arrays, i);
        notional = Math.abs(x) * perUnit;
        double side = Math.signum(x); // +1: the account sells to close a long
        if (r.isOption()) {
            double v = arrays.optionValue(i);
            double deltaNotional = Math.abs(x * arrays.greek(i, ResolvedInstrument.DELTA)) * r.spot();
            double f = impactFraction(deltaNotional, adv, sigma);
            double usd = Math.max(0.0, v - side * f * Math.abs(arrays.greek(i, ResolvedInstrument.DELTA)) * r.spot());
            valueUsd = v;
            impactCost = Math.abs(x) * Math.abs(usd - v);
            fillPrice = r.isLinear() ? usd : usd / r.spot();
            return;
        }
        double m = r.mark();
        double f = impactFraction(notional, adv, sigma);
        double p = m * (1.0 - side * f);
        valueUsd = Double.NaN;
        fillPrice = p;
        impactCost = r.isLinear() ? Math.abs(x) * Math.abs(m - p) : Math.abs(x) * Math.abs(1.0 / m - 1.0 / p) * r.spot();
    }

    /** Prices selling {@code x} coins of asset a (buying back when x &lt; 0) against USDC at the index. */
    private void priceSpot(RiskArrays arrays, int a, double x, double sigma) {
        double spot = arrays.assetPrice(a);
        notional = Math.abs(x) * spot;
        double f = impactFraction(notional, arrays.adv(a), sigma);
        fillPrice = spot * (1.0 - Math.signum(x) * f);
        impactCost = Math.abs(x) * Math.abs(spot - fillPrice);
        valueUsd = Double.NaN;
    }

    /**
     * The impact fraction of MODEL.md section 11 for a trade of {@code notionalUsd}: halfSpread + impactFactor x sigma
     * x sqrt(notional / ADV) x sqrt(1/365), the half-spread alone without an ADV or a sigma (NaN).
     */
    public double impactFraction(double notionalUsd, double adv, double sigma) {
        double f = params.halfSpread();
        if (adv > 0.0 && sigma > 0.0) { // NaN (unknown) fails both
            f += params.impactFactor() * sigma * Math.sqrt(notionalUsd / adv) * SQRT_1_OVER_365;
        }
        return f;
    }

    /**
     * The candidates in (underlying code, then positions by instrument name, then the coin balance) order: an
     * instrument index for a position, -(asset + 1) for a coin (not stablecoin) balance; returns the count.
     */
    /**
     * Whether the cascade guard's budget leaves no slice to plan: every position and coin balance a step could close is
     * of an asset with no budget left ({@code remaining} by universe asset index, USD). Until the budget renews, the
     * account's plan is {@link LiquidationDecision.Outcome#GUARD_LIMIT} whatever the prices (a bankrupt account takes
     * the bankruptcy path first, which the budget does not bound).
     */
    public boolean blockedByGuard(RiskArrays arrays, AccountState account, double[] remaining) {
        int n = collectCandidates(arrays, account);
        for (int c = 0; c < n; c++) {
            int i = candidates[c];
            if (remaining[i < 0 ? -i - 1 : arrays.instrumentAsset(i)] > 0.0) {
                return false;
            }
        }
        return n > 0;
    }

    private int collectCandidates(RiskArrays arrays, AccountState account) {
        int n = account.positionCount() + account.balanceCount();
        if (candidates.length < n) {
            candidates = Arrays.copyOf(candidates, Math.max(n, candidates.length * 2));
        }
        int count = 0;
        for (int k = 0; k < n; k++) {
            int c;
            if (k < account.positionCount()) {
                c = account.positionInstrument(k);
            } else {
                int a = account.balanceAsset(k - account.positionCount());
                if (arrays.isStablecoin(a) || !(arrays.assetPrice(a) > 0.0)) {
                    continue;
                }
                c = -a - 1;
            }
            int x = count++;
            while (x > 0 && before(arrays, c, candidates[x - 1])) {
                candidates[x] = candidates[x - 1];
                x--;
            }
            candidates[x] = c;
        }
        return count;
    }

    private static boolean before(RiskArrays arrays, int i, int j) {
        int ai = arrays.assetRank(i < 0 ? -i - 1 : arrays.instrumentAsset(i));
        int aj = arrays.assetRank(j < 0 ? -j - 1 : arrays.instrumentAsset(j));
        if (ai != aj) {
            return ai < aj;
        }
        if (i < 0 || j < 0) {
            return j < 0 && i >= 0; // the coin balance after the unit's positions
        }
        return arrays.instrumentRank(i) < arrays.instrumentRank(j);
    }

    /**
     * True when a unit of the account (an underlying of one of its positions, or a coin it holds) has a stale index:
     * the account is then neither liquidated nor resolved as bankrupt (MODEL.md section 9: its equity and its prices
     * are not to be trusted).
     */
    public static boolean touchesStaleIndex(RiskArrays arrays, AccountState account, boolean[] stale) {
        for (int k = 0; k < account.positionCount(); k++) {
            int a = arrays.instrumentAsset(account.positionInstrument(k));
            if (a < stale.length && stale[a]) {
                return true;
            }
        }
        for (int b = 0; b < account.balanceCount(); b++) {
            int a = account.balanceAsset(b);
            if (a < stale.length && stale[a] && !arrays.isStablecoin(a)) {
                return true;
            }
        }
        return false;
    }

    private static LiquidationDecision none(LiquidationDecision.Outcome outcome, double equity, double mm,
                                            double target, int evaluated) {
        return new LiquidationDecision(outcome, null, equity, mm, target, Double.NaN, Double.NaN, 0.0, Double.NaN,
            evaluated);
    }
}
