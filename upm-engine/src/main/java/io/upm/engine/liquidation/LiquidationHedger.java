package io.upm.engine.liquidation;

import io.upm.engine.core.Ledger;
import io.upm.hedge.HedgeCandidates;
import io.upm.hedge.HedgeGoal;
import io.upm.hedge.HedgeOptimizer;
import io.upm.hedge.HedgePlan;
import io.upm.hedge.HedgeTrade;
import io.upm.input.InputException;
import io.upm.margin.AccountMarginCalculator;
import io.upm.margin.RiskArrays;
import io.upm.margin.account.AccountState;
import io.upm.pricing.ResolvedInstrument;
import io.upm.product.EuropeanOption;
import io.upm.product.ExpiryCodes;
import io.upm.product.Instrument;
import io.upm.product.Portfolio;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Hedge first (docs/engine.md): for an account in liquidation that opted in, the hedge that brings its equity back to
 * the liquidation target (MM + targetFraction x (IM - MM)) when it costs less than the closing steps the
 * {@link LiquidationPlanner} would take to the same target.
 *
 * <p>How. The hedge optimiser ({@link HedgeOptimizer}) is asked for the cheapest plan in the linear perpetuals and
 * futures of the account's underlyings and, when built with {@code listedOptions}, the linear calls and puts at the strikes the
 * universe lists for those underlyings in the next {@link #OPTION_EXPIRIES} expiries, within the scan range of the
 * index ({@link #candidates(RiskArrays, Portfolio, boolean)}, through {@link HedgeCandidates#listed}) that reaches margin ratio
 * MM / equity &lt;= 1 / (1 + targetFraction x (IM multiplier - 1)), its cost model being MODEL.md section 11's
 * half-spread and impact plus the liquidation fee. The plan's trades are then priced as liquidation prices them: the
 * mark moved against the account by {@link LiquidationPlanner#impactFraction} (the unit's sigma and ADV), the fee
 * {@code feeRate x |size| x mark}; an option as {@link LiquidationPlanner} prices one, its value moved by the impact
 * fraction of its delta notional (a sale never below 0), the fee on its underlying notional, at most its value; and
 * checked: applied to a copy of the account, a full margin of the copy must reach
 * the target, and each underlying's notional must fit the cascade guard's budget left this minute. The closing cost
 * is measured by running the planner's steps on another copy (no guard budget) until it reaches the target, summing
 * their impact and fees (+infinity when closing cannot reach it). The hedge is chosen only when it is strictly
 * cheaper.
 *
 * <p>Deterministic (the optimiser and the planner are). Not thread-safe: it owns an optimiser and uses the caller's
 * calculator and planner; one per engine, on the writer's thread.
 */
public final class LiquidationHedger {
    /** The largest number of trades of a hedge. */
    public static final int MAX_TRADES = 4;
    /** The most closing steps simulated to price closing (beyond, closing is taken as unable to reach the target). */
    static final int MAX_CLOSING_STEPS = 400;
    /** Option candidates: the strikes of this many expiries (the nearest after the snapshot time). */
    public static final int OPTION_EXPIRIES = 2;

    private final LiquidationParameters params;
    private final LiquidationPlanner planner;
    private final AccountMarginCalculator calc;
    private final HedgeOptimizer optimizer;
    private final boolean listedOptions;

    /**
     * A hedger in perpetuals and futures only ({@link #LiquidationHedger(LiquidationParameters, LiquidationPlanner,
     * AccountMarginCalculator, boolean)} with {@code false}): the engine's and {@code upm simulate}'s default, since the
     * simulation's report prices an option trade's impact against the underlying's mark (docs/simulation.md).
     */
    public LiquidationHedger(LiquidationParameters params, LiquidationPlanner planner, AccountMarginCalculator calc) {
        this(params, planner, calc, false);
    }

    /**
     * A hedger.
     *
     * @param params        MODEL.md section 11's parameters (target, fee, impact)
     * @param planner       the planner whose closing steps the hedge is compared with
     * @param calc          the calculator the checks margin with (the planner's own)
     * @param listedOptions whether the candidates include the listed linear options of the account's underlyings
     *                      (false: perpetuals and futures only)
     */
    public LiquidationHedger(LiquidationParameters params, LiquidationPlanner planner, AccountMarginCalculator calc,
                             boolean listedOptions) {
        this.listedOptions = listedOptions;
        this.params = params;
        this.planner = planner;
        this.calc = calc;
        this.optimizer = new HedgeOptimizer(new io.upm.hedge.TradeCostModel(params.halfSpread() + params.feeRate(),
            params.impactFactor(), 1.0 / 365.0, 1.0, 30.0, 1e-4));
    }

    /** What {@link #decide} found. */
    public enum Outcome {
        /** Hedge: {@link Decision#hedge()} is cheaper than closing and reaches the target. */
        HEDGE,
        /** The account is at or above its target already, or its equity is not positive (the bankruptcy path). */
        NOT_APPLICABLE,
        /** The optimiser found no plan reaching the target in the candidates. */
        NO_PLAN,
        /** The plan, priced as liquidation prices it, does not reach the target. */
        TARGET_NOT_REACHED,
        /** The plan's notional exceeds the cascade guard's budget left for an underlying this minute. */
        GUARD_LIMIT,
        /** Closing the positions costs no more than the hedge. */
        CLOSING_CHEAPER
    }

    /**
     * The decision and its figures.
     *
     * @param outcome        what was found
     * @param hedge          the hedge to journal and apply ({@link Outcome#HEDGE} only; null otherwise)
     * @param hedgeCostUsd   the hedge's cost, impact plus fees (NaN when no plan was priced)
     * @param closingCostUsd the closing steps' cost, impact plus fees (NaN when not measured; +infinity when closing
     *                       cannot reach the target)
     * @param equityAfter    equity after the hedge (NaN when none was checked)
     * @param mmAfter        MM after the hedge (NaN when none was checked)
     */
    public record Decision(Outcome outcome, LiquidationHedge hedge, double hedgeCostUsd, double closingCostUsd,
                           double equityAfter, double mmAfter) {
        static Decision none(Outcome o) {
            return new Decision(o, null, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
    }

    /**
     * Decides whether to hedge one account instead of closing positions.
     *
     * @param arrays           the universe
     * @param account          the account (not changed)
     * @param time             the engine time
     * @param vol              per asset index of {@code arrays}, the unit's annualised vol (the planner's)
     * @param remainingByAsset per asset index, the guard's notional budget left this minute, USD
     */
    public Decision decide(RiskArrays arrays, AccountState account, Instant time, double[] vol,
                           double[] remainingByAsset) {
        double mm = calc.compute(arrays, account.resolve(arrays), -1);
        double equity = calc.equity();
        double imMultiple = arrays.params().initialMarginMultiplier();
        double target = mm + params.targetFraction() * (imMultiple * mm - mm);
        if (!(equity > 0.0) || equity >= target) {
            return Decision.none(Outcome.NOT_APPLICABLE);
        }
        Portfolio portfolio = account.toPortfolio(arrays);
        List<Instrument> candidates = candidates(arrays, portfolio, listedOptions);
        if (candidates.isEmpty()) {
            return Decision.none(Outcome.NO_PLAN);
        }
        double multiple = 1.0 + params.targetFraction() * (imMultiple - 1.0);
        HedgePlan plan;
        try {
            plan = optimizer.solve(arrays, portfolio, HedgeGoal.targetRatio(Math.min(1.0, 1.0 / multiple)), candidates,
                MAX_TRADES);
        } catch (InputException e) {
            return Decision.none(Outcome.NO_PLAN); // a candidate the market cannot price: no hedge
        }
        if (!plan.goalReached() || plan.trades().isEmpty()) {
            return Decision.none(Outcome.NO_PLAN);
        }
        // list what the arrays lack, on a scratch universe (the caller's is unchanged)
        List<Instrument> missing = new ArrayList<>();
        List<String> fields = new ArrayList<>();
        for (HedgeTrade t : plan.trades()) {
            if (arrays.instrumentIndex(t.instrument().name()) < 0) {
                missing.add(t.instrument());
                fields.add(t.instrument().name());
            }
        }
        RiskArrays scratch = missing.isEmpty() ? arrays : arrays.withInstruments(missing, fields);
        List<LiquidationHedge.Trade> trades = new ArrayList<>();
        TreeMap<String, Double> notionalBy = new TreeMap<>();
        double cost = 0.0;
        for (HedgeTrade t : plan.trades()) {
            int i = scratch.instrumentIndex(t.instrument().name());
            ResolvedInstrument r = scratch.instrument(i);
            int a = scratch.instrumentAsset(i);
            double q = t.size();
            double sigma = a < vol.length ? vol[a] : Double.NaN;
            double notional;
            double price;
            double fee;
            if (r.isOption()) {
                // as the planner prices an option: its value moved by the impact of its delta notional
                double v = scratch.optionValue(i);
                double delta = Math.abs(scratch.greek(i, ResolvedInstrument.DELTA));
                double f = planner.impactFraction(Math.abs(q) * delta * r.spot(), scratch.adv(a), sigma);
                double usd = Math.max(0.0, v + Math.signum(q) * f * delta * r.spot());
                notional = Math.abs(q) * r.spot();
                price = r.isLinear() ? usd : usd / r.spot();
                fee = Math.min(params.feeRate() * notional, Math.abs(q) * v);
                cost += Math.abs(q) * Math.abs(usd - v) + fee;
            } else {
                double mark = r.mark();
                notional = Math.abs(q) * mark;
                double f = planner.impactFraction(notional, scratch.adv(a), sigma);
                price = mark * (1.0 + Math.signum(q) * f);
                fee = params.feeRate() * notional;
                cost += Math.abs(q) * Math.abs(price - mark) + fee;
            }
            trades.add(new LiquidationHedge.Trade(t.instrument().name(), q, price, fee, notional,
                t.instrument().underlying()));
            notionalBy.merge(t.instrument().underlying(), notional, Double::sum);
        }
        for (var e : notionalBy.entrySet()) {
            int a = arrays.assetIndex(e.getKey());
            if (a >= 0 && a < remainingByAsset.length && e.getValue() > remainingByAsset[a]) {
                return new Decision(Outcome.GUARD_LIMIT, null, cost, Double.NaN, Double.NaN, Double.NaN);
            }
        }
        AccountState after = account.copy();
        for (LiquidationHedge.Trade t : trades) {
            Ledger.trade(after, scratch, scratch.instrumentIndex(t.instrument()), t.size(), t.price(), t.feeUsd(),
                Ledger.NONE);
        }
        double mmAfter = calc.compute(scratch, after.resolve(scratch), -1);
        double equityAfter = calc.equity();
        if (!(equityAfter >= mmAfter + params.targetFraction() * (imMultiple * mmAfter - mmAfter))) {
            return new Decision(Outcome.TARGET_NOT_REACHED, null, cost, Double.NaN, equityAfter, mmAfter);
        }
        double closing = closingCostUsd(arrays, account, time, vol);
        if (!(cost < closing)) {
            return new Decision(Outcome.CLOSING_CHEAPER, null, cost, closing, equityAfter, mmAfter);
        }
        return new Decision(Outcome.HEDGE, new LiquidationHedge(time, account.account(), trades, cost, closing), cost,
            closing, equityAfter, mmAfter);
    }

    /**
     * What the planner's closing steps back to the target cost (impact plus fees, USD), run on a copy of the account
     * without the guard's budget; +infinity when closing does not reach the target.
     */
    public double closingCostUsd(RiskArrays arrays, AccountState account, Instant time, double[] vol) {
        AccountState copy = account.copy();
        InsuranceFund scratchFund = new InsuranceFund();
        double[] unlimited = new double[arrays.assetCount()];
        Arrays.fill(unlimited, Double.POSITIVE_INFINITY);
        double cost = 0.0;
        for (int n = 0; n < MAX_CLOSING_STEPS; n++) {
            LiquidationDecision d = planner.plan(arrays, copy, time, vol, unlimited, null);
            if (d.outcome() == LiquidationDecision.Outcome.TARGET_REACHED) {
                return cost;
            }
            if (d.outcome() != LiquidationDecision.Outcome.STEP) {
                return Double.POSITIVE_INFINITY;
            }
            cost += d.impactCostUsd() + d.step().feeUsd();
            d.step().applyTo(copy, arrays, scratchFund, MoneyFlows.NONE);
        }
        return Double.POSITIVE_INFINITY;
    }

    /**
     * The hedge candidates of an account: the linear perpetuals and futures of its underlyings that the snapshot
     * lists ({@link HedgeCandidates#listed} without options).
     */
    public static List<Instrument> candidates(RiskArrays arrays, Portfolio portfolio) {
        return candidates(arrays, portfolio, false);
    }

    /**
     * The hedge candidates of an account: the linear perpetuals and futures of its underlyings that the snapshot
     * lists and, with {@code listedOptions}, the linear call and put at every strike the universe lists an option at
     * (any settlement) for those underlyings in the {@link #OPTION_EXPIRIES} nearest expiries after the snapshot time,
     * strikes within the unit's scan range of the index ({@link HedgeCandidates#listed} with those strikes quoted).
     * Canonical order (by name).
     */
    public static List<Instrument> candidates(RiskArrays arrays, Portfolio portfolio, boolean listedOptions) {
        TreeMap<String, Instrument> out = new TreeMap<>();
        TreeSet<String> underlyings = new TreeSet<>();
        TreeSet<String> withPerpetual = new TreeSet<>();
        Map<String, Map<String, List<Double>>> strikes = listedOptions ? listedStrikes(arrays, portfolio) : Map.of();
        for (Instrument ins : HedgeCandidates.listed(arrays.market(), portfolio, strikes, false,
            stablecoins(arrays))) {
            underlyings.add(ins.underlying());
            if (ins.isLinear()) {
                out.put(ins.name(), ins);
                if (ins instanceof io.upm.product.Perpetual) {
                    withPerpetual.add(ins.underlying());
                }
            }
        }
        for (String u : underlyings) {
            if (!withPerpetual.contains(u)) { // only an inverse perpetual is marked: its linear twin at the index
                Instrument p = io.upm.product.InstrumentNames.parse(u + "_USDC-PERPETUAL", "candidates");
                out.put(p.name(), p);
            }
        }
        return new ArrayList<>(out.values());
    }

    /**
     * Per underlying of the account, expiry code to the strikes (ascending) the universe lists a live option at, in
     * the {@link #OPTION_EXPIRIES} nearest expiries after the snapshot time, within the scan range of the index.
     */
    static Map<String, Map<String, List<Double>>> listedStrikes(RiskArrays arrays, Portfolio portfolio) {
        TreeSet<String> underlyings = new TreeSet<>();
        for (var p : portfolio.positions()) {
            underlyings.add(p.instrument().underlying());
        }
        for (var b : portfolio.balances().entrySet()) {
            if (b.getValue() != 0) {
                underlyings.add(b.getKey());
            }
        }
        Instant now = arrays.market().time();
        TreeMap<String, TreeMap<Instant, TreeSet<Double>>> found = new TreeMap<>();
        for (int i = 0; i < arrays.instrumentCount(); i++) {
            if (arrays.isExpired(i) || !(arrays.instrument(i).instrument() instanceof EuropeanOption o)
                || !underlyings.contains(o.underlying()) || !o.expiry().isAfter(now)) {
                continue;
            }
            int a = arrays.instrumentAsset(i);
            double spot = arrays.assetPrice(a);
            if (!(Math.abs(o.strike() / spot - 1.0) <= arrays.scanRange(a))) {
                continue;
            }
            found.computeIfAbsent(o.underlying(), k -> new TreeMap<>())
                .computeIfAbsent(o.expiry(), k -> new TreeSet<>()).add(o.strike());
        }
        Map<String, Map<String, List<Double>>> out = new TreeMap<>();
        for (var u : found.entrySet()) {
            Map<String, List<Double>> byExpiry = new TreeMap<>();
            int taken = 0;
            for (var e : u.getValue().entrySet()) {
                if (taken++ == OPTION_EXPIRIES) {
                    break;
                }
                byExpiry.put(ExpiryCodes.format(e.getKey()), new ArrayList<>(e.getValue()));
            }
            out.put(u.getKey(), byExpiry);
        }
        return out;
    }

    /** The universe's stablecoin codes. */
    public static TreeSet<String> stablecoins(RiskArrays arrays) {
        TreeSet<String> s = new TreeSet<>();
        for (int a = 0; a < arrays.assetCount(); a++) {
            if (arrays.isStablecoin(a)) {
                s.add(arrays.asset(a));
            }
        }
        return s;
    }
}
