package io.upm.hedge;

import io.upm.margin.RiskArrays;
import io.upm.margin.VolShocks;
import io.upm.margin.params.MarginParameters;
import io.upm.pricing.ResolvedInstrument;
import io.upm.product.Instrument;
import io.upm.product.Portfolio;
import io.upm.product.Position;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.math3.optim.MaxIter;
import org.apache.commons.math3.optim.PointValuePair;
import org.apache.commons.math3.optim.linear.LinearConstraint;
import org.apache.commons.math3.optim.linear.LinearConstraintSet;
import org.apache.commons.math3.optim.linear.LinearObjectiveFunction;
import org.apache.commons.math3.optim.linear.NoFeasibleSolutionException;
import org.apache.commons.math3.optim.linear.NonNegativeConstraint;
import org.apache.commons.math3.optim.linear.Relationship;
import org.apache.commons.math3.optim.linear.SimplexSolver;
import org.apache.commons.math3.optim.linear.UnboundedSolutionException;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;
import org.apache.commons.math3.exception.TooManyIterationsException;

/**
 * The account's maintenance margin as a function of the trade sizes x of the candidates, and the linear programmes
 * over it. Per risk unit u the matrix L_u(x) = L_u(0) + sum_i x_i A_i is linear in x, so
 * C_u = max(0, -L_u cells, -L_u(e) R / |e|, SOM_u) with SOM_u = 0.01 S sum_series max(0, -net), the roll shock
 * RS_u = sum_groups |delta_g| S f_g and the borrowing charge are maxima of linear functions (epigraph variables in the
 * programme); the liquidity add-on LA_u = lambda N^1.5 / sqrt(ADV) of the net delta notional N is convex and is
 * bounded above by chords; the cross-unit charge is bounded above by sum_u C_u (the correlation offsets only lower
 * it: J &lt;= sum W). The model is therefore exactly MODEL.md's MM for a single-unit account (up to the chords) and
 * an upper bound otherwise; {@link HedgeOptimizer} checks every answer with the risk core.
 *
 * <p>The trade cost is linear in the programme, sum_i k_i |x_i|, with per-candidate rates k_i set by the caller
 * (the cost model's average rate at a size: successive linearisation of the convex cost).
 *
 * <p>Built for one account and one solve; not thread-safe.
 */
final class HedgeModel {
    /** What a programme optimises. */
    enum Mode {
        /** Least cost with m x MM + cost &lt;= equity + m x slack. */
        COST_FOR_GOAL,
        /** Least MM (cost as a tie-break). */
        MIN_MARGIN,
        /** Least cost with MM &lt;= a cap. */
        COST_AT_MARGIN,
        /** Least m x MM + cost: the plan closest to a goal the programme cannot reach. */
        CLOSEST
    }

    private static final int CHORDS = 5;

    final RiskArrays arrays;
    final MarginParameters params;
    final int n;
    final Instrument[] candidate;
    final ResolvedInstrument[] resolved;
    final int[] index;
    /** Per candidate: the unit it belongs to. */
    final int[] colUnit;
    /** Per candidate and unit of size: cells and extended moves of its unit (including a coin premium's move). */
    final double[][] colCells;
    final double[][] colExt;
    /** Per candidate and unit of size: the unit's delta change (instrument and coin premium). */
    final double[] colDelta;
    /** Per candidate and unit of size: its roll group's delta change (instrument only). */
    final double[] colGroupDelta;
    final int[] colGroup;
    final int[] colSeries;
    /** Per candidate: the stablecoin (index into the currency list) its premium is paid from, or -1. */
    final int[] colCurrency;
    /** Per candidate: premium per unit of size in that currency's units (linear options), else 0. */
    final double[] colPremium;
    /** Per candidate: the cost model's price base and underlying notional of one unit of size. */
    final double[] unitPrice;
    final double[] unitNotional;
    final double[] sigma;
    final double[] adv;
    /** Size of one programme unit of candidate i (the programme works on y = x / scale, notional-scaled). */
    final double[] scale;
    final boolean[] tradable;

    // units
    final int units;
    final int[] unitAsset;
    final double[][] baseCells;
    final double[][] baseExt;
    final double[] baseDelta;
    final double[] grossNotional;
    // roll groups and option series
    final List<int[]> groups = new ArrayList<>(); // {unit, universe group id}
    final List<Double> groupBase = new ArrayList<>();
    final List<int[]> series = new ArrayList<>(); // {unit, universe series id}
    final List<Double> seriesBase = new ArrayList<>();
    // stablecoins
    final List<Integer> currencyAsset = new ArrayList<>();
    final List<Double> currencyBalance = new ArrayList<>();
    final int usdc;
    final double coinBorrowing;
    final double equity;
    /** USD scale of the programme. */
    final double usdScale;

    HedgeModel(RiskArrays arrays, Portfolio portfolio, List<Instrument> candidates, double equity,
               double maintenanceMargin, TradeCostModel costs) {
        this.arrays = arrays;
        this.params = arrays.params();
        this.equity = equity;
        this.n = candidates.size();
        this.candidate = candidates.toArray(Instrument[]::new);
        int cells = arrays.cells();
        int ne = arrays.extendedCount();
        TreeMap<Integer, Integer> unitOf = new TreeMap<>();
        List<Integer> assets = new ArrayList<>();
        for (Position p : portfolio.positions()) {
            addUnit(unitOf, assets, arrays.instrumentAsset(arrays.instrumentIndex(p.instrument().name())));
        }
        for (var b : new TreeMap<>(portfolio.balances()).entrySet()) {
            int a = arrays.assetIndex(b.getKey());
            if (!arrays.isStablecoin(a) && b.getValue() != 0) {
                addUnit(unitOf, assets, a);
            }
        }
        index = new int[n];
        resolved = new ResolvedInstrument[n];
        for (int k = 0; k < n; k++) {
            index[k] = arrays.instrumentIndex(candidate[k].name());
            resolved[k] = arrays.instrument(index[k]);
            addUnit(unitOf, assets, arrays.instrumentAsset(index[k]));
        }
        units = assets.size();
        unitAsset = assets.stream().mapToInt(Integer::intValue).toArray();
        baseCells = new double[units][cells];
        baseExt = new double[units][ne];
        baseDelta = new double[units];
        grossNotional = new double[units];
        Map<Integer, Integer> groupSlot = new TreeMap<>();
        Map<Integer, Integer> seriesSlot = new TreeMap<>();
        double[] c = new double[cells];
        double[] e = new double[ne];
        for (Position p : portfolio.positions()) {
            int i = arrays.instrumentIndex(p.instrument().name());
            int u = unitOf.get(arrays.instrumentAsset(i));
            double x = arrays.isInverseDelta1(i) ? p.size() / p.entryPrice() : p.size();
            column(i, c, e);
            for (int j = 0; j < cells; j++) {
                baseCells[u][j] += x * c[j];
            }
            for (int j = 0; j < ne; j++) {
                baseExt[u][j] += x * e[j];
            }
            double d = x * arrays.greek(i, ResolvedInstrument.DELTA);
            baseDelta[u] += d;
            int g = slot(groupSlot, arrays.rollGroup(i), u, groups, groupBase);
            groupBase.set(g, groupBase.get(g) + d);
            if (arrays.series(i) >= 0) {
                int s = slot(seriesSlot, arrays.series(i), u, series, seriesBase);
                seriesBase.set(s, seriesBase.get(s) + p.size());
            }
            grossNotional[u] += Math.abs(p.size()) * TradeCostModel.unitNotional(arrays.instrument(i));
        }
        double borrow = 0.0;
        int usdcSlot = -1;
        for (var b : new TreeMap<>(portfolio.balances()).entrySet()) {
            int a = arrays.assetIndex(b.getKey());
            double amount = b.getValue();
            double usd = amount * arrays.assetPrice(a);
            if (arrays.isStablecoin(a)) {
                currencyAsset.add(a);
                currencyBalance.add(amount);
                if (b.getKey().equals("USDC")) {
                    usdcSlot = currencyAsset.size() - 1;
                }
                continue;
            }
            if (amount == 0) {
                continue;
            }
            int u = unitOf.get(a);
            for (int j = 0; j < cells; j++) {
                baseCells[u][j] += usd * arrays.priceMove(a, j / VolShocks.COUNT);
            }
            for (int j = 0; j < ne; j++) {
                baseExt[u][j] += usd * arrays.extendedMove(j);
            }
            baseDelta[u] += amount;
            grossNotional[u] += Math.abs(usd);
            if (amount < 0) {
                borrow += params.borrowingRate() * -usd;
            }
        }
        coinBorrowing = borrow;
        if (usdcSlot < 0) {
            currencyAsset.add(arrays.assetIndex("USDC"));
            currencyBalance.add(0.0);
            usdcSlot = currencyAsset.size() - 1;
        }
        usdc = usdcSlot;
        usdScale = Math.max(1.0, Math.max(Math.abs(equity), maintenanceMargin));

        colUnit = new int[n];
        colCells = new double[n][cells];
        colExt = new double[n][ne];
        colDelta = new double[n];
        colGroupDelta = new double[n];
        colGroup = new int[n];
        colSeries = new int[n];
        colCurrency = new int[n];
        colPremium = new double[n];
        unitPrice = new double[n];
        unitNotional = new double[n];
        sigma = new double[n];
        adv = new double[n];
        scale = new double[n];
        tradable = new boolean[n];
        for (int k = 0; k < n; k++) {
            int i = index[k];
            ResolvedInstrument r = resolved[k];
            int a = arrays.instrumentAsset(i);
            int u = unitOf.get(a);
            colUnit[k] = u;
            column(i, colCells[k], colExt[k]);
            double perSize = arrays.isInverseDelta1(i) ? 1.0 / r.mark() : 1.0; // inverse: exposure = size / entry
            double d = arrays.greek(i, ResolvedInstrument.DELTA) * perSize;
            for (int j = 0; j < cells; j++) {
                colCells[k][j] *= perSize;
            }
            for (int j = 0; j < ne; j++) {
                colExt[k][j] *= perSize;
            }
            colGroupDelta[k] = d;
            colDelta[k] = d;
            colCurrency[k] = -1;
            if (r.isOption()) {
                double v = r.value(0.0);
                if (r.isLinear()) {
                    String name = candidate[k].name();
                    String currency = name.substring(name.indexOf('_') + 1, name.indexOf('-'));
                    int ca = arrays.assetIndex(currency);
                    int slotC = currencyAsset.indexOf(ca);
                    if (slotC < 0) {
                        currencyAsset.add(ca);
                        currencyBalance.add(0.0);
                        slotC = currencyAsset.size() - 1;
                    }
                    colCurrency[k] = slotC;
                    colPremium[k] = v;
                } else {
                    // the coin premium (v / S coins per unit) leaves the coin balance, which moves with the unit
                    for (int j = 0; j < cells; j++) {
                        colCells[k][j] -= v * arrays.priceMove(a, j / VolShocks.COUNT);
                    }
                    for (int j = 0; j < ne; j++) {
                        colExt[k][j] -= v * arrays.extendedMove(j);
                    }
                    colDelta[k] -= v / r.spot();
                }
            }
            colGroup[k] = slot(groupSlot, arrays.rollGroup(i), u, groups, groupBase);
            colSeries[k] = arrays.series(i) >= 0 ? slot(seriesSlot, arrays.series(i), u, series, seriesBase) : -1;
            unitPrice[k] = TradeCostModel.unitPrice(r);
            unitNotional[k] = TradeCostModel.unitNotional(r);
            sigma[k] = costs.volatility(arrays.market(), r.instrument().underlying());
            adv[k] = arrays.adv(a);
            scale[k] = usdScale / unitNotional[k];
            tradable[k] = costs.tradable(r);
        }
    }

    private static void addUnit(TreeMap<Integer, Integer> unitOf, List<Integer> assets, int a) {
        if (!unitOf.containsKey(a)) {
            unitOf.put(a, assets.size());
            assets.add(a);
        }
    }

    private static int slot(Map<Integer, Integer> slots, int id, int u, List<int[]> keys, List<Double> base) {
        Integer s = slots.get(id);
        if (s == null) {
            s = keys.size();
            slots.put(id, s);
            keys.add(new int[] {u, id});
            base.add(0.0);
        }
        return s;
    }

    /** Cells and extended-move P&amp;L of one unit of exposure of universe instrument i (the risk array's figures). */
    private void column(int i, double[] cells, double[] ext) {
        int moves = params.priceMoveCount();
        for (int j = 0; j < moves; j++) {
            for (int v = 0; v < VolShocks.COUNT; v++) {
                cells[j * VolShocks.COUNT + v] = arrays.pnl(i, j, v);
            }
        }
        ResolvedInstrument r = arrays.instrument(i);
        int ne = arrays.extendedCount();
        if (r.isOption()) {
            // the extended moves of MODEL.md section 4, at the vol-up state, as RiskArrays prices them
            double v0 = r.value(0.0);
            double volUp = VolShocks.shocked(VolShocks.UP, r.vol(), r.yearFraction(),
                arrays.assetParams(arrays.instrumentAsset(i)), params);
            for (int k = 0; k < ne; k++) {
                ext[k] = r.value(0.0, arrays.extendedMove(k), volUp) - v0;
            }
        } else {
            double level = arrays.isInverseDelta1(i) ? r.spot() : r.mark();
            for (int k = 0; k < ne; k++) {
                ext[k] = level * arrays.extendedMove(k);
            }
        }
    }

    /** The cost model's cost per unit of size k_i of candidate k at a trade size (its average rate). */
    double costRate(TradeCostModel costs, int k, double absSize) {
        return costs.unitCost(resolved[k], absSize, sigma[k], adv[k]);
    }

    // ---- the model's MM at a point (the function the programme encodes) ----

    /**
     * The model's MM at trade sizes x with linear cost rates: sum over units of core charge, roll shocks and
     * liquidity add-on (chords replaced by the exact curve), plus borrowing.
     */
    double margin(double[] x, double[] rates) {
        double total = coinBorrowing;
        double[][] charges = unitCharges(x);
        for (double[] c : charges) {
            total += Math.max(c[0], Math.max(c[1], c[2])) + c[3] + c[4];
        }
        for (int c = 0; c < currencyAsset.size(); c++) {
            double balance = currencyBalance.get(c);
            for (int k = 0; k < n; k++) {
                if (colCurrency[k] == c) {
                    balance -= x[k] * colPremium[k];
                }
                if (c == usdc) {
                    balance -= Math.abs(x[k]) * rates[k];
                }
            }
            if (balance < 0) {
                total += params.borrowingRate() * -balance * arrays.assetPrice(currencyAsset.get(c));
            }
        }
        return total;
    }

    /** Per unit (in {@link #unitAsset} order), the model's {W, X, SOM, RS, LA} at trade sizes x. */
    double[][] unitCharges(double[] x) {
        int cells = arrays.cells();
        int ne = arrays.extendedCount();
        double[][] out = new double[units][];
        double[] cellSum = new double[cells];
        double[] extSum = new double[ne];
        for (int u = 0; u < units; u++) {
            int a = unitAsset[u];
            double spot = arrays.assetPrice(a);
            System.arraycopy(baseCells[u], 0, cellSum, 0, cells);
            System.arraycopy(baseExt[u], 0, extSum, 0, ne);
            double delta = baseDelta[u];
            for (int k = 0; k < n; k++) {
                if (colUnit[k] == u && x[k] != 0) {
                    for (int j = 0; j < cells; j++) {
                        cellSum[j] += x[k] * colCells[k][j];
                    }
                    for (int j = 0; j < ne; j++) {
                        extSum[j] += x[k] * colExt[k][j];
                    }
                    delta += x[k] * colDelta[k];
                }
            }
            double worst = 0.0;
            for (int j = 0; j < cells; j++) {
                worst = Math.max(worst, -cellSum[j]);
            }
            double range = arrays.scanRange(a);
            double extended = 0.0;
            for (int j = 0; j < ne; j++) {
                extended = Math.max(extended, -extSum[j] * range / Math.abs(arrays.extendedMove(j)));
            }
            double shortSize = 0.0;
            for (int s = 0; s < series.size(); s++) {
                if (series.get(s)[0] == u) {
                    double net = seriesBase.get(s);
                    for (int k = 0; k < n; k++) {
                        if (colSeries[k] == s) {
                            net += x[k];
                        }
                    }
                    shortSize += Math.max(0.0, -net);
                }
            }
            double som = params.shortOptionMinimum() * spot * shortSize;
            double roll = 0.0;
            for (int g = 0; g < groups.size(); g++) {
                if (groups.get(g)[0] == u) {
                    double d = groupBase.get(g);
                    for (int k = 0; k < n; k++) {
                        if (colGroup[k] == g) {
                            d += x[k] * colGroupDelta[k];
                        }
                    }
                    roll += Math.abs(d * spot) * arrays.rollGroupFactor(groups.get(g)[1]);
                }
            }
            double liquidity = 0.0;
            double adv = arrays.adv(a);
            if (!Double.isNaN(adv)) {
                double notional = Math.abs(delta * spot);
                liquidity = params.liquidityFactor() * notional * Math.sqrt(notional / adv);
            }
            out[u] = new double[] {worst, extended, som, roll, liquidity};
        }
        return out;
    }

    // ---- the linear programme ----

    /**
     * Solves one programme.
     *
     * @param mode      what to optimise
     * @param rates     per candidate, the linear cost rate (USD per unit of size)
     * @param allowed   per candidate, whether it may trade
     * @param multiple  m of the goal (COST_FOR_GOAL, CLOSEST)
     * @param level     COST_FOR_GOAL: the slack added to equity (USD, &gt;= 0 loosens); COST_AT_MARGIN: the MM cap
     * @return the trade sizes, or null when the programme has no solution (infeasible, or the solver gave up)
     */
    double[] solve(Mode mode, double[] rates, boolean[] allowed, double multiple, double level) {
        int cells = arrays.cells();
        int ne = arrays.extendedCount();
        int ng = groups.size();
        int ns = series.size();
        int nc = currencyAsset.size();
        double us = usdScale;
        // columns, numbered as needed: p_k, m_k per allowed candidate (x_k = p_k - m_k), then per traded unit C_u and,
        // with an ADV, N_u and LA_u; r_g per roll group a candidate trades; t_s per option series a candidate trades;
        // b_c per stablecoin whose borrowing can change. A disallowed candidate has no column at all.
        int nv = 0;
        int[] col = new int[n];
        boolean[] traded = new boolean[units];
        for (int k = 0; k < n; k++) {
            col[k] = -1;
            if (allowed[k]) {
                col[k] = nv;
                nv += 2;
                traded[colUnit[k]] = true;
            }
        }
        int[] cVar = new int[units];
        int[] nVar = new int[units];
        int[] lVar = new int[units];
        for (int u = 0; u < units; u++) {
            cVar[u] = traded[u] ? nv++ : -1;
            boolean liquid = traded[u] && !Double.isNaN(arrays.adv(unitAsset[u]));
            nVar[u] = liquid ? nv++ : -1;
            lVar[u] = liquid ? nv++ : -1;
        }
        int[] gVar = new int[ng];
        int[] sVar = new int[ns];
        java.util.Arrays.fill(gVar, -1);
        java.util.Arrays.fill(sVar, -1);
        for (int k = 0; k < n; k++) {
            if (allowed[k]) {
                if (gVar[colGroup[k]] < 0) {
                    gVar[colGroup[k]] = -2;
                }
                if (colSeries[k] >= 0 && sVar[colSeries[k]] < 0) {
                    sVar[colSeries[k]] = -2;
                }
            }
        }
        for (int g = 0; g < ng; g++) {
            gVar[g] = gVar[g] == -2 ? nv++ : -1;
        }
        for (int s = 0; s < ns; s++) {
            sVar[s] = sVar[s] == -2 ? nv++ : -1;
        }
        int[] bVar = new int[nc];
        for (int c = 0; c < nc; c++) {
            boolean touched = currencyBalance.get(c) < 0;
            for (int k = 0; k < n && !touched; k++) {
                touched = allowed[k] && (colCurrency[k] == c || c == usdc);
            }
            bVar[c] = touched ? nv++ : -1;
        }
        int firstEpigraph = 0;
        for (int k = 0; k < n; k++) {
            firstEpigraph += allowed[k] ? 2 : 0;
        }
        Rows rows = new Rows(nv, firstEpigraph);
        double constant = 0.0; // the charges of units no allowed candidate trades
        double[][] fixedCharges = null;
        int[] members = new int[n];
        for (int u = 0; u < units; u++) {
            if (!traded[u]) {
                if (fixedCharges == null) {
                    fixedCharges = unitCharges(new double[n]);
                }
                double[] c = fixedCharges[u];
                constant += Math.max(c[0], Math.max(c[1], c[2])) + c[3] + c[4];
                continue;
            }
            int a = unitAsset[u];
            double spot = arrays.assetPrice(a);
            double range = arrays.scanRange(a);
            int m = 0;
            for (int k = 0; k < n; k++) {
                if (allowed[k] && colUnit[k] == u) {
                    members[m++] = k;
                }
            }
            // the scenario rows C_u + a_j . x >= b_j: cells, then extended moves scaled back to the range
            double[][] coef = new double[cells + ne][m];
            double[] rhs = new double[cells + ne];
            for (int j = 0; j < cells; j++) {
                for (int i = 0; i < m; i++) {
                    int k = members[i];
                    coef[j][i] = colCells[k][j] * scale[k] / us;
                }
                rhs[j] = -baseCells[u][j] / us;
            }
            for (int j = 0; j < ne; j++) {
                double f = range / Math.abs(arrays.extendedMove(j));
                for (int i = 0; i < m; i++) {
                    int k = members[i];
                    coef[cells + j][i] = f * colExt[k][j] * scale[k] / us;
                }
                rhs[cells + j] = -f * baseExt[u][j] / us;
            }
            boolean[] keep = bindingRows(coef, rhs);
            for (int j = 0; j < coef.length; j++) {
                if (!keep[j]) {
                    continue;
                }
                double[] row = new double[nv];
                row[cVar[u]] = 1.0;
                for (int i = 0; i < m; i++) {
                    setSize(row, col[members[i]], coef[j][i]);
                }
                rows.geq(row, rhs[j], cVar[u]);
            }
            // SOM: C_u >= 0.01 S (the short size of series no candidate trades + sum t_s), t_s (notional-scaled)
            // >= -(net size) S / us for the series a candidate trades
            boolean anySeries = false;
            double fixedShort = 0.0;
            double[] som = new double[nv];
            som[cVar[u]] = 1.0;
            for (int s = 0; s < ns; s++) {
                if (series.get(s)[0] != u) {
                    continue;
                }
                anySeries = true;
                if (sVar[s] < 0) {
                    fixedShort += Math.max(0.0, -seriesBase.get(s));
                    continue;
                }
                som[sVar[s]] = -params.shortOptionMinimum();
                double[] row = new double[nv];
                row[sVar[s]] = 1.0;
                for (int k = 0; k < n; k++) {
                    if (colSeries[k] == s && allowed[k]) {
                        setSize(row, col[k], scale[k] * spot / us);
                    }
                }
                rows.geq(row, -seriesBase.get(s) * spot / us, sVar[s]);
            }
            if (anySeries) {
                rows.geq(som, params.shortOptionMinimum() * spot * fixedShort / us, cVar[u]);
            }
            // liquidity add-on: N_u >= |delta S|, LA_u above the chords of lambda N^1.5 / sqrt(ADV)
            double adv = arrays.adv(a);
            if (!Double.isNaN(adv)) {
                for (int sign = -1; sign <= 1; sign += 2) {
                    double[] row = new double[nv];
                    row[nVar[u]] = 1.0;
                    for (int i = 0; i < m; i++) {
                        int k = members[i];
                        setSize(row, col[k], -sign * colDelta[k] * spot * scale[k] / us);
                    }
                    rows.geq(row, sign * baseDelta[u] * spot / us, nVar[u]);
                }
                double top = 2.0 * Math.max(Math.max(Math.abs(baseDelta[u] * spot), grossNotional[u]), 1e3);
                double lambda = params.liquidityFactor() / Math.sqrt(adv);
                double prevN = 0.0;
                double prevG = 0.0;
                for (int q = 1; q <= CHORDS; q++) {
                    double t = (double) q / CHORDS;
                    double nq = top * t * t;
                    double gq = lambda * nq * Math.sqrt(nq);
                    double slope = (gq - prevG) / (nq - prevN);
                    double[] row = new double[nv];
                    row[lVar[u]] = 1.0;
                    row[nVar[u]] = -slope;
                    rows.geq(row, (prevG - slope * prevN) / us, lVar[u]);
                    prevN = nq;
                    prevG = gq;
                }
            }
        }
        for (int g = 0; g < ng; g++) {
            int u = groups.get(g)[0];
            if (!traded[u]) {
                continue; // in the unit's constant charges
            }
            double spot = arrays.assetPrice(unitAsset[u]);
            double f = arrays.rollGroupFactor(groups.get(g)[1]) * spot;
            if (gVar[g] < 0) {
                constant += Math.abs(groupBase.get(g)) * f; // no candidate in this group: its roll shock is fixed
                continue;
            }
            for (int sign = -1; sign <= 1; sign += 2) {
                double[] row = new double[nv];
                row[gVar[g]] = 1.0;
                for (int k = 0; k < n; k++) {
                    if (colGroup[k] == g && allowed[k]) {
                        setSize(row, col[k], -sign * f * colGroupDelta[k] * scale[k] / us);
                    }
                }
                rows.geq(row, sign * f * groupBase.get(g) / us, gVar[g]);
            }
        }
        double rate = params.borrowingRate();
        for (int c = 0; c < nc; c++) {
            if (bVar[c] < 0) {
                continue; // untouched, not negative: no borrowing
            }
            double price = arrays.assetPrice(currencyAsset.get(c));
            double[] row = new double[nv];
            row[bVar[c]] = 1.0;
            for (int k = 0; k < n; k++) {
                if (!allowed[k]) {
                    continue;
                }
                if (colCurrency[k] == c) {
                    setSize(row, col[k], -rate * price * colPremium[k] * scale[k] / us);
                }
                if (c == usdc) {
                    row[col[k]] -= rate * price * rates[k] * scale[k] / us;
                    row[col[k] + 1] -= rate * price * rates[k] * scale[k] / us;
                }
            }
            rows.geq(row, -rate * price * currencyBalance.get(c) / us, bVar[c]);
        }
        double[] marginRow = new double[nv];
        for (int u = 0; u < units; u++) {
            if (traded[u]) {
                marginRow[cVar[u]] = 1.0;
                if (lVar[u] >= 0) {
                    marginRow[lVar[u]] = 1.0;
                }
            }
        }
        for (int g = 0; g < ng; g++) {
            if (gVar[g] >= 0) {
                marginRow[gVar[g]] = 1.0;
            }
        }
        for (int c = 0; c < nc; c++) {
            if (bVar[c] >= 0) {
                marginRow[bVar[c]] = 1.0;
            }
        }
        double[] costRow = new double[nv];
        for (int k = 0; k < n; k++) {
            if (allowed[k]) {
                costRow[col[k]] = rates[k] * scale[k] / us;
                costRow[col[k] + 1] = rates[k] * scale[k] / us;
            }
        }
        double fixed = coinBorrowing + constant;
        double[] objective;
        double[] capRow = null;
        double cap = 0.0;
        switch (mode) {
            case COST_FOR_GOAL -> {
                capRow = add(scaled(marginRow, multiple), costRow);
                cap = (equity + multiple * (level - fixed)) / us;
                objective = costRow;
            }
            case COST_AT_MARGIN -> {
                capRow = marginRow;
                cap = (level - fixed) / us;
                objective = costRow;
            }
            case MIN_MARGIN -> objective = add(marginRow, scaled(costRow, 1e-6));
            case CLOSEST -> objective = add(scaled(marginRow, multiple), costRow);
            default -> throw new IllegalArgumentException(mode.toString());
        }
        double[] point = rows.solve(objective, capRow, cap);
        if (point == null) {
            return null;
        }
        lastRows = rows.count();
        lastColumns = rows.columns();
        double[] v = point;
        double[] x = new double[n];
        for (int k = 0; k < n; k++) {
            if (!allowed[k]) {
                continue;
            }
            double y = v[col[k]] - v[col[k] + 1];
            // the simplex's round-off: a size below a millionth of the account's scale is no trade
            x[k] = Math.abs(y) > 1e-9 ? y * scale[k] : 0.0;
        }
        return x;
    }

    /**
     * The rows of one programme, g . v &gt;= r, each with its head (the epigraph variable it bounds from below, with
     * coefficient 1), and their solution with the epigraph variables shifted to their values at no trade: with
     * E = E0 + E+ - E- (E0 the least values that satisfy every row at x = 0, E &gt;= 0 kept as a row) every row holds at
     * the origin, so each is written as a LEQ row with a right side &gt;= 0 and needs no artificial variable; only the cap
     * row (the goal, when the account misses it) starts infeasible. Phase 1 of the simplex is then a pivot or two
     * instead of one per row, and the tableau has no artificial column per row. The same programme, the same optimum.
     */
    private static final class Rows {
        private final int nv;
        private final int firstEpigraph;
        private final List<double[]> rows = new ArrayList<>();
        private final List<Double> rhs = new ArrayList<>();
        private final List<Integer> heads = new ArrayList<>();
        private int columns;

        Rows(int nv, int firstEpigraph) {
            this.nv = nv;
            this.firstEpigraph = firstEpigraph;
        }

        void geq(double[] row, double r, int head) {
            rows.add(row);
            rhs.add(r);
            heads.add(head);
        }

        int count() {
            return rows.size();
        }

        int columns() {
            return columns;
        }

        /**
         * Minimises objective . v subject to the rows (and cap . v &lt;= cap, when capRow is not null), v &gt;= 0.
         *
         * @return v in the original variables, or null (infeasible, unbounded, or the solver gave up)
         */
        double[] solve(double[] objective, double[] capRow, double cap) {
            int ne = nv - firstEpigraph;
            double[] v0 = new double[nv];
            // the least epigraph values at x = 0: rows in the order written (a head's own inputs come first)
            for (int pass = 0; pass < 2; pass++) {
                for (int i = 0; i < rows.size(); i++) {
                    double gap = rhs.get(i) - dot(rows.get(i), v0);
                    if (gap > 0) {
                        v0[heads.get(i)] += gap;
                    }
                }
            }
            columns = nv + ne;
            List<LinearConstraint> out = new ArrayList<>(rows.size() + ne + 1);
            for (int i = 0; i < rows.size(); i++) {
                double[] g = rows.get(i);
                out.add(new LinearConstraint(negatedShifted(g), Relationship.LEQ,
                    Math.max(0.0, dot(g, v0) - rhs.get(i))));
            }
            for (int e = firstEpigraph; e < nv; e++) {
                double[] g = new double[columns]; // E >= 0: E- - E+ <= E0
                g[e] = -1.0;
                g[nv + e - firstEpigraph] = 1.0;
                out.add(new LinearConstraint(g, Relationship.LEQ, v0[e]));
            }
            if (capRow != null) {
                out.add(new LinearConstraint(shifted(capRow), Relationship.LEQ, cap - dot(capRow, v0)));
            }
            PointValuePair sol;
            try {
                sol = new SimplexSolver(1e-6, 10, 1e-10).optimize(new MaxIter(20_000),
                    new LinearObjectiveFunction(shifted(objective), dot(objective, v0)), new LinearConstraintSet(out),
                    GoalType.MINIMIZE, new NonNegativeConstraint(true));
            } catch (NoFeasibleSolutionException | UnboundedSolutionException | TooManyIterationsException e) {
                return null;
            }
            double[] w = sol.getPoint();
            double[] v = new double[nv];
            for (int j = 0; j < nv; j++) {
                v[j] = j < firstEpigraph ? w[j] : v0[j] + w[j] - w[nv + j - firstEpigraph];
            }
            return v;
        }

        /** A row over (v+, E-): the epigraph columns repeated negated for E-. */
        private double[] shifted(double[] g) {
            double[] out = Arrays.copyOf(g, nv + nv - firstEpigraph);
            for (int e = firstEpigraph; e < nv; e++) {
                out[nv + e - firstEpigraph] = -g[e];
            }
            return out;
        }

        private double[] negatedShifted(double[] g) {
            double[] out = shifted(g);
            for (int j = 0; j < out.length; j++) {
                out[j] = -out[j];
            }
            return out;
        }

        private static double dot(double[] g, double[] v) {
            double s = 0.0;
            for (int j = 0; j < g.length; j++) {
                s += g[j] * v[j];
            }
            return s;
        }
    }

    /** Rows and columns of the last programme solved (for tests and the timing notes). */
    int lastRows;
    int lastColumns;

    /**
     * Which rows of a unit's scenario family C_u + a_j . x &gt;= b_j can bind (C_u &gt;= 0 besides). Rows with the same
     * left side: only the largest right side (delta-one candidates move the three vol states of a price move alike).
     * When every left side is a multiple of one vector w (a_j = s_j w: the unit trades only delta-one candidates, or
     * one candidate), C_u &gt;= max_j (b_j - s_j z) with z = w . x is a maximum of lines in z, and only the lines on
     * its upper envelope (with the line 0 of C_u &gt;= 0) are kept: two to four of the 35 rows, typically.
     */
    static boolean[] bindingRows(double[][] a, double[] b) {
        int r = a.length;
        boolean[] keep = new boolean[r];
        java.util.Arrays.fill(keep, true);
        for (int i = 0; i < r; i++) {
            for (int j = i + 1; j < r && keep[i]; j++) {
                if (keep[j] && java.util.Arrays.equals(a[i], a[j])) {
                    if (b[j] > b[i]) {
                        keep[i] = false;
                    } else {
                        keep[j] = false;
                    }
                }
            }
        }
        int m = r == 0 ? 0 : a[0].length;
        // rank one? the reference w: the row with the largest coefficient, normalised at that coefficient
        int ref = -1;
        int at = -1;
        double big = 0.0;
        for (int j = 0; j < r; j++) {
            for (int i = 0; i < m; i++) {
                if (keep[j] && Math.abs(a[j][i]) > big) {
                    big = Math.abs(a[j][i]);
                    ref = j;
                    at = i;
                }
            }
        }
        if (ref < 0) {
            return keep; // no coefficient at all: the duplicates are gone, one row remains
        }
        double[] slope = new double[r];
        for (int j = 0; j < r; j++) {
            if (!keep[j]) {
                continue;
            }
            double s = a[j][at] / a[ref][at];
            for (int i = 0; i < m; i++) {
                if (Math.abs(a[j][i] - s * a[ref][i]) > 1e-12 * big) {
                    return keep; // not rank one
                }
            }
            slope[j] = -s; // C_u >= b_j + slope_j z
        }
        // upper envelope of the lines b_j + slope_j z and of the line 0 (index r): by slope, ties by intercept
        Integer[] order = new Integer[r + 1];
        int count = 0;
        for (int j = 0; j < r; j++) {
            if (keep[j]) {
                order[count++] = j;
            }
        }
        order[count++] = r;
        double[] sl = java.util.Arrays.copyOf(slope, r + 1);
        double[] ic = java.util.Arrays.copyOf(b, r + 1);
        java.util.Arrays.sort(order, 0, count, (p, q) -> sl[p] != sl[q] ? Double.compare(sl[p], sl[q])
            : ic[p] != ic[q] ? Double.compare(ic[q], ic[p]) : Integer.compare(p, q));
        int[] hull = new int[count];
        int h = 0;
        for (int x = 0; x < count; x++) {
            int l = order[x];
            if (h > 0 && sl[hull[h - 1]] == sl[l]) {
                continue; // same slope, lower (or equal) intercept
            }
            while (h >= 2 && (ic[l] - ic[hull[h - 2]]) * (sl[hull[h - 1]] - sl[hull[h - 2]])
                >= (ic[hull[h - 1]] - ic[hull[h - 2]]) * (sl[l] - sl[hull[h - 2]])) {
                h--;
            }
            hull[h++] = l;
        }
        java.util.Arrays.fill(keep, false);
        for (int x = 0; x < h; x++) {
            if (hull[x] < r) {
                keep[hull[x]] = true;
            }
        }
        return keep;
    }

    /** Index of x_k in a row (its column pair at {@code at}): +coef on p_k, -coef on m_k. */
    private static void setSize(double[] row, int at, double coef) {
        row[at] += coef;
        row[at + 1] -= coef;
    }

    private static double[] scaled(double[] v, double f) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i] * f;
        }
        return out;
    }

    private static double[] add(double[] a, double[] b) {
        double[] out = Arrays.copyOf(a, a.length);
        for (int i = 0; i < b.length; i++) {
            out[i] += b[i];
        }
        return out;
    }
}
