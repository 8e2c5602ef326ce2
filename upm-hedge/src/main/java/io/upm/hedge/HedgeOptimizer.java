package io.upm.hedge;

import io.upm.input.InputException;
import io.upm.margin.AccountMarginCalculator;
import io.upm.margin.MarginCalculator;
import io.upm.margin.MarginResult;
import io.upm.margin.ResolvedPortfolio;
import io.upm.margin.RiskArrays;
import io.upm.margin.params.MarginParameters;
import io.upm.market.MarketSnapshot;
import io.upm.pricing.ResolvedInstrument;
import io.upm.product.Instrument;
import io.upm.product.Portfolio;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * Finds the cheapest trades that bring an account to a {@link HedgeGoal}, for one account at a time: the engine-
 * independent hedge optimiser of issue 11.
 *
 * <p>How. {@link HedgeModel} writes the account's MM as a linear programme over the candidates' trade sizes (exact
 * for a single risk unit up to the liquidity add-on's chords, an upper bound across units) and the trade cost of
 * {@link TradeCostModel} as per-candidate linear rates; Apache Commons Math's {@code SimplexSolver} solves it. The
 * convex cost (it grows as |q|^1.5) is met by successive linearisation: the rates are re-set at the sizes found and the
 * programme solved again. More than {@code maxTrades} trades: the largest ones (by notional) are kept and the programme
 * solved again over them only (a heuristic; the exact cardinality constraint would make it a mixed-integer programme).
 * Every plan is then margined by the ordinary risk core ({@link AccountMarginCalculator}) with the trades booked as
 * positions and the costs taken from USDC, and polished on that exact figure: the plan's sizes are scaled down (a
 * bracket closed by regula falsi) to the least scale that still meets the goal (the model is conservative across
 * units), or up when the linear model fell short. Across several units the programme is solved once more with its measured excess over the
 * calculator's MM given back as slack. The reported margins are always the calculator's.
 *
 * <p>Deterministic (candidates are taken in name order; no clock, no randomness, no hash order). Not thread-safe: it
 * owns an {@link AccountMarginCalculator}; use one optimiser per thread. No static mutable state.
 */
public final class HedgeOptimizer {
    /** The default largest number of trades in a plan. */
    public static final int DEFAULT_MAX_TRADES = 4;
    /** The largest {@code maxTrades} accepted. */
    public static final int MAX_TRADES_LIMIT = 64;
    private static final int BISECTIONS = 14;
    private static final int SLACK_ROUNDS = 2;
    /** Programmes per solve of the successive linearisation of the cost. */
    private static final int LINEARISATIONS = 2;
    /** A cost rate that moved less than this (relative) at the sizes found needs no new programme. */
    private static final double RATE_TOLERANCE = 0.01;
    private static final double[] ALONE_SCAN = {0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0};
    private static final int ALONE_BISECTIONS = 12;
    /** Up to this many candidates every one is also searched alone across units; above, perpetuals and futures. */
    public static final int ALONE_ALL_LIMIT = 64;
    private static final double[] SCALE_UP = {1.02, 1.1, 1.25, 1.5, 2.0, 3.0, 5.0};

    private final TradeCostModel costs;
    private final AccountMarginCalculator calculator = new AccountMarginCalculator();
    private int programmes;
    private int evaluations;

    /** An optimiser with MODEL.md's cost model. */
    public HedgeOptimizer() {
        this(TradeCostModel.DEFAULT);
    }

    /** An optimiser with a cost model. */
    public HedgeOptimizer(TradeCostModel costs) {
        this.costs = costs;
    }

    /** The cost model. */
    public TradeCostModel costs() {
        return costs;
    }

    /**
     * The cheapest plan for an account on a snapshot (builds the risk arrays of its positions and the candidates).
     *
     * @param candidates the instruments the hedge may trade (any order; duplicates ignored)
     * @param maxTrades  the largest number of trades, 1 to {@link #MAX_TRADES_LIMIT}
     * @throws InputException if a position or candidate cannot be resolved against the snapshot (field
     *                        {@code positions[k]...} or {@code candidates[k]}), or {@code maxTrades} is out of range
     */
    public HedgePlan solve(MarketSnapshot market, MarginParameters params, Portfolio portfolio, HedgeGoal goal,
                           List<? extends Instrument> candidates, int maxTrades) {
        checkMaxTrades(maxTrades);
        List<Instrument> all = new ArrayList<>();
        List<String> fields = new ArrayList<>();
        for (int k = 0; k < portfolio.positions().size(); k++) {
            all.add(portfolio.positions().get(k).instrument());
            fields.add("positions[" + k + "].instrument");
        }
        for (int k = 0; k < candidates.size(); k++) {
            all.add(candidates.get(k));
            fields.add("candidates[" + k + "]");
        }
        return solve(RiskArrays.build(market, params, all, fields), portfolio, goal, candidates, maxTrades);
    }

    /**
     * The cheapest plan for an account, on risk arrays the caller keeps (the live engine's universe). Candidates or
     * positions the arrays do not list are added ({@link RiskArrays#withInstruments}; the caller's arrays are
     * unchanged).
     *
     * @throws InputException as {@link #solve(MarketSnapshot, MarginParameters, Portfolio, HedgeGoal, List, int)}
     */
    public HedgePlan solve(RiskArrays arrays, Portfolio portfolio, HedgeGoal goal, List<? extends Instrument> candidates,
                           int maxTrades) {
        checkMaxTrades(maxTrades);
        if (goal == null) {
            throw new InputException("goal", "missing");
        }
        TreeMap<String, Instrument> byName = new TreeMap<>();
        List<Instrument> missing = new ArrayList<>();
        List<String> fields = new ArrayList<>();
        for (int k = 0; k < candidates.size(); k++) {
            Instrument ins = candidates.get(k);
            byName.putIfAbsent(ins.name(), ins);
            if (arrays.instrumentIndex(ins.name()) < 0) {
                missing.add(ins);
                fields.add("candidates[" + k + "]");
            }
        }
        for (int k = 0; k < portfolio.positions().size(); k++) {
            Instrument ins = portfolio.positions().get(k).instrument();
            if (arrays.instrumentIndex(ins.name()) < 0) {
                missing.add(ins);
                fields.add("positions[" + k + "].instrument");
            }
        }
        RiskArrays universe = missing.isEmpty() ? arrays : arrays.withInstruments(missing, fields);
        programmes = 0;
        evaluations = 0;
        return new Solve(universe, portfolio, goal, List.copyOf(byName.values()), maxTrades).run();
    }

    private static void checkMaxTrades(int maxTrades) {
        if (maxTrades < 1 || maxTrades > MAX_TRADES_LIMIT) {
            throw new InputException("maxTrades", "must be 1 to " + MAX_TRADES_LIMIT + ", got " + maxTrades);
        }
    }

    /** A plan margined by the risk core. */
    private record Evaluation(double[] x, double cost, double equity, double mm, boolean reached, double excess) {
    }

    /** One solve: the account, its model and the plans tried. */
    private final class Solve {
        private final RiskArrays arrays;
        private final Portfolio portfolio;
        private final HedgeGoal goal;
        private final List<Instrument> candidates;
        private final int maxTrades;
        private final double imMultiple;
        private final double multiple;
        private HedgeModel model;
        private double[] rates;
        private double modelMargin = Double.NaN;
        private final PlanEvaluator evaluator;
        /** The account with no trade. */
        private Evaluation none;

        Solve(RiskArrays arrays, Portfolio portfolio, HedgeGoal goal, List<Instrument> candidates, int maxTrades) {
            this.arrays = arrays;
            this.portfolio = portfolio;
            this.goal = goal;
            this.candidates = candidates;
            this.maxTrades = maxTrades;
            this.imMultiple = arrays.params().initialMarginMultiplier();
            this.multiple = goal.kind() == HedgeGoal.Kind.MIN_MM ? imMultiple : goal.marginMultiple(imMultiple);
            this.evaluator = new PlanEvaluator(arrays, calculator, costs, portfolio, candidates);
        }

        HedgePlan run() {
            int n = candidates.size();
            none = evaluate(new double[n]);
            if (n == 0 || (goal.kind() != HedgeGoal.Kind.MIN_MM && none.reached())) {
                return plan(none, none);
            }
            model = new HedgeModel(arrays, portfolio, candidates, none.equity(), none.mm(), costs);
            Evaluation best = goal.kind() == HedgeGoal.Kind.MIN_MM ? minimumMargin(none) : cheapest(none);
            return plan(none, best);
        }

        // ---- goals with a level: healthy, target ratio ----

        private Evaluation cheapest(Evaluation none) {
            boolean[] allowed = model.tradable.clone();
            Evaluation best = null;
            Evaluation closest = none;
            double slack = 0.0;
            for (int round = 0; round < SLACK_ROUNDS; round++) {
                double[] x = programme(HedgeModel.Mode.COST_FOR_GOAL, allowed, slack);
                boolean unreachable = x == null;
                if (unreachable) {
                    x = programme(HedgeModel.Mode.CLOSEST, allowed, 0.0);
                }
                if (x == null || isZero(x)) {
                    break;
                }
                double fitted = model.margin(x, rates);
                Evaluation raw = evaluate(x);
                Evaluation e = polishToGoal(raw);
                if (e.reached() && (best == null || e.cost() < best.cost())) {
                    best = e;
                    modelMargin = fitted;
                }
                if (!e.reached() && e.excess() > closest.excess()) {
                    closest = e;
                    modelMargin = fitted;
                }
                if (unreachable && !raw.reached() && slack <= 0.0) {
                    // the model cannot reach the goal at this level; a next round only asks for more (a lower slack)
                    // and would end on the same closest plan
                    break;
                }
                double next;
                if (raw.reached()) {
                    // the model is conservative across units: give its excess over the calculator back as slack
                    double gap = fitted - raw.mm();
                    if (model.units < 2 || !(gap > 1e-6 * model.usdScale) || gap <= slack) {
                        break;
                    }
                    next = gap;
                } else {
                    // short of the goal (the cost's linearisation, the liquidity chords, the solver's tolerance):
                    // ask the programme for the shortfall again as a margin of safety
                    double shortfall = -raw.excess() / multiple;
                    if (!(shortfall > 0) || shortfall > 0.5 * model.usdScale) {
                        break;
                    }
                    next = slack - 1.5 * shortfall - 1e-9 * model.usdScale;
                }
                slack = next;
            }
            if (model.units > 1) {
                // across units the programme bounds the correlation offsets from above: try each candidate alone on
                // the calculator's figures as well (a 1-D search: a scan both ways, then the bracket closed on the size)
                for (int k = 0; k < model.n; k++) {
                    if (!searchedAlone(k, allowed)) {
                        continue;
                    }
                    Evaluation e = alone(k, best == null ? Double.POSITIVE_INFINITY : best.cost());
                    if (e == null) {
                        continue;
                    }
                    if (e.reached() && (best == null || e.cost() < best.cost())) {
                        best = e;
                        modelMargin = Double.NaN;
                    } else if (!e.reached() && best == null && e.excess() > closest.excess()) {
                        closest = e;
                        modelMargin = Double.NaN;
                    }
                }
            }
            return best != null ? best : closest;
        }

        /**
         * Candidate k alone: sizes t x h for t = +-0.25 .. +-3 (h the size that offsets its unit's net delta, or the
         * unit's gross notional for an option with little delta), the first that meets the goal on each side refined
         * towards zero ({@link #leastReached}); the cheapest of the two, or the closest plan when neither meets it.
         * A side stops as soon as the smallest size it could still return costs {@code costBound} or more (such a plan
         * cannot win: the cost grows with the size); pass infinity for no bound.
         */
        private Evaluation alone(int k, double costBound) {
            double h = aloneScale(k);
            if (!(h > 0) || !Double.isFinite(h)) {
                return null;
            }
            Evaluation best = null;
            Evaluation closest = null;
            for (int side = -1; side <= 1; side += 2) {
                double lo = 0.0;
                Evaluation atLo = none;
                int falls = 0;
                for (double t : ALONE_SCAN) {
                    if (lo > 0 && evaluator.tradeCost(k, side * lo * h) >= costBound) {
                        break;
                    }
                    Evaluation e = evaluate(along(k, side * t * h));
                    if (e.reached()) {
                        final int sd = side;
                        Evaluation at = leastReached(u -> along(k, sd * u * h), lo, atLo, t, e, (t - lo) / (1 << ALONE_BISECTIONS),
                            costBound);
                        if (at != null) {
                            Evaluation r = evaluate(rounded(at.x()));
                            at = r.reached() ? r : at;
                            if (best == null || at.cost() < best.cost()) {
                                best = at;
                            }
                        }
                        break;
                    }
                    if (closest == null || e.excess() > closest.excess()) {
                        closest = e;
                    }
                    // the excess along one candidate rises to a peak and falls after it (concave for delta-one
                    // trades: MM is convex in a unit's delta, the cost convex): two falls in a row, past the peak
                    falls = e.excess() < atLo.excess() ? falls + 1 : 0;
                    lo = t;
                    atLo = e;
                    if (falls == 2) {
                        break;
                    }
                }
            }
            return best != null ? best : closest;
        }

        private double[] along(int k, double size) {
            double[] x = new double[model.n];
            x[k] = size;
            return x;
        }

        /**
         * The least t in [lo, hi] (to within {@code tol}) whose plan ray(t) meets the goal, given that ray(hi) meets it
         * and ray(lo) does not: the bracket is narrowed by regula falsi on the excess (Illinois variant), each estimate
         * followed by a probe {@code tol / 2} inside the end that did not move (on a linear stretch of the excess the
         * bracket closes in two or three evaluations), and by bisection after four such rounds. The reached end of the
         * final bracket; null when the cost of ray(lo) reaches {@code costBound} first (no cheaper plan on this ray).
         */
        private Evaluation leastReached(java.util.function.DoubleFunction<double[]> ray, double lo, Evaluation atLo,
                                        double hi, Evaluation atHi, double tol, double costBound) {
            double a = lo;
            double b = hi;
            double fa = atLo.excess();
            double fb = atHi.excess();
            Evaluation at = atHi;
            int kept = 0; // which end stayed last time: -1 a, +1 b (Illinois halves its value when it stays again)
            for (int round = 0; b - a > tol && round < 64; round++) {
                if (costBound < Double.POSITIVE_INFINITY && a > 0 && costOf(ray.apply(a)) >= costBound) {
                    return null;
                }
                double t;
                if (round < 8 && fb > fa && Double.isFinite(fa) && Double.isFinite(fb)) {
                    t = (a * fb - b * fa) / (fb - fa);
                    t = Math.min(b - 0.25 * tol, Math.max(a + 0.25 * tol, t));
                } else {
                    t = 0.5 * (a + b);
                }
                Evaluation m = evaluate(ray.apply(t));
                boolean movedB;
                if (m.reached()) {
                    b = t;
                    fb = m.excess();
                    at = m;
                    movedB = true;
                    if (kept == -1) {
                        fa *= 0.5;
                    }
                    kept = -1;
                } else {
                    a = t;
                    fa = m.excess();
                    movedB = false;
                    if (kept == 1) {
                        fb *= 0.5;
                    }
                    kept = 1;
                }
                if (round < 8 && b - a > tol) {
                    // probe just inside the end that stayed: closes the bracket when the estimate was good
                    double p = movedB ? b - 0.5 * tol : a + 0.5 * tol;
                    Evaluation q = evaluate(ray.apply(p));
                    if (q.reached()) {
                        b = p;
                        fb = q.excess();
                        at = q;
                    } else {
                        a = p;
                        fa = q.excess();
                    }
                }
            }
            return at;
        }

        private double costOf(double[] x) {
            double c = 0.0;
            for (int k = 0; k < x.length; k++) {
                if (x[k] != 0) {
                    c += evaluator.tradeCost(k, x[k]);
                }
            }
            return c;
        }

        /** Scales a plan to the least scale meeting the goal (bracketed on the calculator's figures). */
        private Evaluation polishToGoal(Evaluation e) {
            double lo = 0.0;
            double hi = 1.0;
            Evaluation atLo = none;
            Evaluation at = e;
            if (!e.reached()) {
                Evaluation bestTried = e;
                boolean found = false;
                atLo = e;
                for (double t : SCALE_UP) {
                    Evaluation s = evaluate(scaled(e.x(), t));
                    if (s.reached()) {
                        lo = hi;
                        hi = t;
                        at = s;
                        found = true;
                        break;
                    }
                    if (s.excess() > bestTried.excess()) {
                        bestTried = s;
                    }
                    hi = t;
                    atLo = s;
                }
                if (!found) {
                    return bestTried;
                }
            }
            double[] x = e.x();
            at = leastReached(t -> scaled(x, t), lo, atLo, hi, at, (hi - lo) / (1 << BISECTIONS),
                Double.POSITIVE_INFINITY);
            Evaluation rounded = evaluate(rounded(at.x()));
            return rounded.reached() ? rounded : at;
        }

        // ---- min-mm ----

        private Evaluation minimumMargin(Evaluation none) {
            boolean[] allowed = model.tradable.clone();
            double[] x = programme(HedgeModel.Mode.MIN_MARGIN, allowed, 0.0);
            if (x == null || isZero(x)) {
                return none;
            }
            double least = model.margin(x, rates);
            double[] cheaper = programme(HedgeModel.Mode.COST_AT_MARGIN, allowed,
                least + 1e-7 * model.usdScale);
            if (cheaper != null && !isZero(cheaper)) {
                x = cheaper;
            }
            modelMargin = model.margin(x, rates);
            // the calculator's MM along the ray t x: golden-section search on [0, 2]
            double a = 0.0;
            double b = 2.0;
            double g = (Math.sqrt(5.0) - 1.0) / 2.0;
            double c = b - g * (b - a);
            double d = a + g * (b - a);
            Evaluation ec = evaluate(scaled(x, c));
            Evaluation ed = evaluate(scaled(x, d));
            Evaluation best = lower(evaluate(x), none);
            for (int it = 0; it < BISECTIONS; it++) {
                if (ec.mm() <= ed.mm()) {
                    b = d;
                    d = c;
                    ed = ec;
                    c = b - g * (b - a);
                    ec = evaluate(scaled(x, c));
                } else {
                    a = c;
                    c = d;
                    ec = ed;
                    d = a + g * (b - a);
                    ed = evaluate(scaled(x, d));
                }
                best = lower(lower(ec, ed), best);
            }
            Evaluation rounded = evaluate(rounded(best.x()));
            best = lower(rounded, best) == rounded && rounded.mm()
                <= best.mm() ? rounded : best;
            if (model.units > 1) {
                // across units the programme bounds the offsets: each candidate alone on the calculator's figures too
                for (int k = 0; k < model.n; k++) {
                    if (searchedAlone(k, allowed)) {
                        Evaluation e = aloneLeast(k);
                        if (e != null && lower(e, best) == e && e != best) {
                            best = e;
                            modelMargin = Double.NaN;
                        }
                    }
                }
            }
            return best;
        }

        /** Candidate k alone: the size in [-3h, 3h] with the least MM (a scan by h/2, then golden section). */
        private Evaluation aloneLeast(int k) {
            double h = aloneScale(k);
            if (!(h > 0) || !Double.isFinite(h)) {
                return null;
            }
            Evaluation best = null;
            double bestT = 0;
            for (int g = -6; g <= 6; g++) {
                if (g == 0) {
                    continue;
                }
                double[] x = new double[model.n];
                x[k] = 0.5 * g * h;
                Evaluation e = evaluate(x);
                if (best == null || lower(e, best) == e && e != best
                    && e.mm() < best.mm()) {
                    best = e;
                    bestT = 0.5 * g;
                }
            }
            double a = bestT - 0.5;
            double b = bestT + 0.5;
            double gr = (Math.sqrt(5.0) - 1.0) / 2.0;
            for (int it = 0; it < ALONE_BISECTIONS; it++) {
                double c = b - gr * (b - a);
                double d = a + gr * (b - a);
                double[] xc = new double[model.n];
                double[] xd = new double[model.n];
                xc[k] = c * h;
                xd[k] = d * h;
                Evaluation ec = evaluate(xc);
                Evaluation ed = evaluate(xd);
                if (ec.mm() <= ed.mm()) {
                    b = d;
                } else {
                    a = c;
                }
                best = lower(lower(ec, ed), best);
            }
            return best;
        }

        /**
         * Whether candidate k is searched alone: every allowed candidate when there are at most
         * {@link #ALONE_ALL_LIMIT}; above, the perpetuals and futures only (a listed option chain has hundreds).
         */
        private boolean searchedAlone(int k, boolean[] allowed) {
            return allowed[k] && (model.n <= ALONE_ALL_LIMIT || !model.resolved[k].isOption());
        }

        /** The size of candidate k that offsets its unit's net delta, or (little delta) the unit's gross notional. */
        private double aloneScale(int k) {
            int u = model.colUnit[k];
            double spot = arrays.assetPrice(model.unitAsset[u]);
            return Math.abs(model.colDelta[k] * spot / model.unitNotional[k]) > 0.05
                ? Math.abs(model.baseDelta[u] / model.colDelta[k])
                : model.grossNotional[u] / model.unitNotional[k];
        }

        /** The plan with the lower MM; at equal MM the cheaper; at equal cost the first. */
        private Evaluation lower(Evaluation p, Evaluation q) {
            double mp = p.mm();
            double mq = q.mm();
            if (mp != mq) {
                return mp < mq ? p : q;
            }
            return q.cost() < p.cost() ? q : p;
        }

        // ---- the programme ----

        /**
         * Solves a programme with successive linearisation of the cost (rates re-set at the sizes found, solved at
         * most twice), then enforces {@code maxTrades}. Null when the programme has no solution. (Starting a second
         * programme from the rates the first ended with saves a pass but gave dearer plans on the benchmark's accounts.)
         */
        private double[] programme(HedgeModel.Mode mode, boolean[] allowed, double level) {
            int n = candidates.size();
            rates = new double[n];
            for (int k = 0; k < n; k++) {
                rates[k] = model.costRate(costs, k, 0.0);
            }
            double[] x = null;
            for (int pass = 0; pass < LINEARISATIONS; pass++) {
                double[] next = model.solve(mode, rates, allowed, multiple, level);
                programmes++;
                if (next == null) {
                    return x;
                }
                boolean moved = false;
                for (int k = 0; k < n; k++) {
                    double r = model.costRate(costs, k, Math.abs(next[k]));
                    if (next[k] != 0 && Math.abs(r - rates[k]) > RATE_TOLERANCE * rates[k]) {
                        moved = true;
                    }
                    if (next[k] != 0) {
                        rates[k] = r;
                    }
                }
                x = next;
                if (!moved) {
                    break;
                }
            }
            if (count(x) > maxTrades) {
                boolean[] kept = largest(x, allowed);
                double[] fewer = model.solve(mode, rates, kept, multiple, level);
                programmes++;
                if (fewer == null && mode == HedgeModel.Mode.COST_FOR_GOAL) {
                    fewer = model.solve(HedgeModel.Mode.CLOSEST, rates, kept, multiple, level);
                    programmes++;
                }
                x = fewer;
            }
            return x;
        }

        /** The {@code maxTrades} largest trades of x by notional (ties: name order). */
        private boolean[] largest(double[] x, boolean[] allowed) {
            int n = x.length;
            boolean[] kept = new boolean[n];
            for (int pick = 0; pick < maxTrades; pick++) {
                int best = -1;
                for (int k = 0; k < n; k++) {
                    if (!kept[k] && allowed[k] && x[k] != 0 && (best < 0
                        || Math.abs(x[k]) * model.unitNotional[k] > Math.abs(x[best]) * model.unitNotional[best])) {
                        best = k;
                    }
                }
                if (best >= 0) {
                    kept[best] = true;
                }
            }
            return kept;
        }

        // ---- margining a plan with the risk core ----

        private Evaluation evaluate(double[] x) {
            evaluations++;
            double mm = evaluator.evaluate(x);
            double equity = evaluator.equity();
            boolean reached = goal.isMet(equity, mm, imMultiple);
            return new Evaluation(x, evaluator.cost(), equity, mm, reached, equity - multiple * mm);
        }

        private HedgePlan plan(Evaluation none, Evaluation chosen) {
            Evaluation e = chosen;
            if (goal.kind() != HedgeGoal.Kind.MIN_MM && !chosen.reached() && chosen.excess() <= none.excess()) {
                e = none; // nothing found that even comes closer to the goal: no trades
            }
            if (goal.kind() == HedgeGoal.Kind.MIN_MM && !(e.mm() < none.mm())) {
                e = none;
            }
            // the plan as FORMATS.md books it, margined from scratch: the reported figures are always these
            List<HedgeTrade> trades = new ArrayList<>();
            Portfolio hedged = evaluator.book(e.x(), trades);
            MarginResult before = margin(portfolio);
            MarginResult after = e == none ? before : margin(hedged);
            boolean reached = goal.isMet(after.equity(), after.maintenanceMargin(), imMultiple);
            return new HedgePlan(goal, goal.kind() == HedgeGoal.Kind.MIN_MM || reached, trades, e.cost(),
                before, after, hedged, e == none ? Double.NaN : modelMargin, programmes, evaluations);
        }

        private MarginResult margin(Portfolio p) {
            calculator.compute(arrays, ResolvedPortfolio.resolve(p, arrays), -1);
            return calculator.result(arrays);
        }
    }

    private static boolean isZero(double[] x) {
        return count(x) == 0;
    }

    private static int count(double[] x) {
        int c = 0;
        for (double v : x) {
            if (v != 0) {
                c++;
            }
        }
        return c;
    }

    private static double[] scaled(double[] x, double t) {
        double[] out = new double[x.length];
        for (int k = 0; k < x.length; k++) {
            out[k] = x[k] * t;
        }
        return out;
    }

    /** Sizes rounded away from zero to 5 significant digits, for readable tickets. */
    static double[] rounded(double[] x) {
        double[] out = new double[x.length];
        for (int k = 0; k < x.length; k++) {
            double v = x[k];
            if (v == 0 || !Double.isFinite(v)) {
                out[k] = v;
                continue;
            }
            java.math.BigDecimal b = new java.math.BigDecimal(v).round(
                new java.math.MathContext(5, v > 0 ? java.math.RoundingMode.CEILING : java.math.RoundingMode.FLOOR));
            out[k] = b.doubleValue();
        }
        return out;
    }
}
