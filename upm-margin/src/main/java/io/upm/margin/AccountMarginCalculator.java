package io.upm.margin;

import io.upm.margin.joint.GeometryCache;
import io.upm.margin.joint.JointLossSolver;
import io.upm.margin.params.MarginParameters;
import io.upm.pricing.ResolvedInstrument;
import java.util.Arrays;

/**
 * Computes an account's portfolio margin (MODEL.md sections 4 to 6) from cached {@link RiskArrays}: each
 * unit's matrix is a sum of exposure x instrument array, then the unit charges, the correlation-aware
 * cross-unit charge, equity and the requirements.
 *
 * <p>Determinism. Positions are summed in the canonical order of {@link ResolvedPortfolio} and the units are
 * ordered by asset code, so the result is bit-identical for any order of the input. The joint losses follow
 * one fixed sequence whatever is asked: J(Q_stress) resolved above the floor, then J(rho) above the larger of
 * the two ({@link JointLossSolver}); so the requirement-only path and the detailed report give the same MM.
 *
 * <p>Exactness. J is exact for 1 to 3 units and, within a fixed search budget, up to {@code exactUnits}; above,
 * a certified upper bound. {@link #exact()} says whether the last MM is MODEL.md's exact figure (no bounded J
 * was the binding term).
 *
 * <p>Single-threaded: one instance per writer thread, with its own {@link GeometryCache}. It keeps every
 * intermediate figure of the last compute in reused scratch buffers (read them with the accessors, e.g. to
 * build a report); after warm-up a compute allocates nothing (geometry cache misses aside).
 */
public final class AccountMarginCalculator {
    /** Default capacity of the calculator's own geometry cache. */
    public static final int DEFAULT_GEOMETRY_CAPACITY = 4096;
    /** Default largest unit count resolved exactly by branch and bound. */
    public static final int DEFAULT_EXACT_UNITS = 3;
    /** Default leaf budget of the exact branch and bound per solve. */
    public static final long DEFAULT_LEAF_BUDGET = 4_000L;

    private final GeometryCache geometries;
    private final int exactUnits;
    private final long leafBudget;
    private JointLossSolver solver;
    private int solverSteps = -1;
    private int solverDirections = -1;

    // the units of the last account, ascending by asset code
    private int units;
    private int[] unitAsset = new int[8];
    private int[] unitOfAsset = new int[0];
    private int[] unitStart = new int[9];
    private int[] unitGroupStart = new int[9];
    private int[] unitSeriesStart = new int[9];
    private int[] unitPositions = new int[32];
    private boolean[] unitHasBalance = new boolean[8];
    /** Per unit, the same layout as an instrument's risk array: cells, extended moves, Greeks. */
    private double[] acc = new double[8 * 41];
    private int stride = 41;
    private int extOffset = 27;
    private int greekOffset = 35;
    private double[] worst = new double[8];
    private int[] worstCell = new int[8];
    private double[] extendedLoss = new double[8];
    private double[] shortOptionMin = new double[8];
    private double[] core = new double[8];
    private double[] roll = new double[8];
    private double[] liquidity = new double[8];
    private double[] grid = new double[8 * 9];
    private double[] crossGrid = new double[8 * 9];
    private double[] q = new double[64];
    private double[] savedUnit = new double[41];
    private double[] positionValue = new double[32];

    // roll groups and option series of the last account
    private int groups;
    private int[] groupId = new int[32];
    private double[] groupDelta = new double[32];
    private int seriesCount;
    private int[] seriesId = new int[32];
    private double[] seriesNet = new double[32];
    /** Universe roll group id to this account's group slot, -1 when absent (reset through groupId after use). */
    private int[] groupSlot = new int[0];
    /** Universe series id to this account's series slot, -1 when absent (reset through seriesId after use). */
    private int[] seriesSlot = new int[0];
    private int[] positionGroup = new int[32];
    private int[] positionSeries = new int[32];

    // results of the last compute
    private double equity;
    private double positionsValue;
    private double collateral;
    private double jointLoss;
    private double stressedJointLoss;
    private boolean jointLossExact;
    private boolean stressedJointLossExact;
    private boolean exact;
    private double floor;
    private double sumCoreExcess;
    private double sumAddOns;
    private double crossUnitCharge;
    private double borrowingCharge;
    private double maintenance;

    /** A calculator with its own geometry cache and the default exactness settings. */
    public AccountMarginCalculator() {
        this(new GeometryCache(DEFAULT_GEOMETRY_CAPACITY), DEFAULT_EXACT_UNITS, DEFAULT_LEAF_BUDGET);
    }

    /**
     * A calculator.
     *
     * @param geometries the geometry cache it uses (owned by the same thread)
     * @param exactUnits the largest unit count whose joint loss is resolved exactly by branch and bound (3 to 8)
     * @param leafBudget the branch and bound's leaf budget per solve; beyond it J is the certified bound
     */
    public AccountMarginCalculator(GeometryCache geometries, int exactUnits, long leafBudget) {
        this.geometries = geometries;
        this.exactUnits = exactUnits;
        this.leafBudget = leafBudget;
    }

    /**
     * Computes the maintenance margin of an account; the results stay readable until the next call.
     *
     * @param arrays   the risk arrays of the universe the portfolio was resolved against
     * @param p        the account
     * @param excluded a canonical position index to leave out, or -1
     * @return the maintenance margin MM in USD
     */
    public double compute(RiskArrays arrays, ResolvedPortfolio p, int excluded) {
        return compute(arrays, p, excluded, false);
    }

    /**
     * As {@link #compute(RiskArrays, ResolvedPortfolio, int)}, and also resolves J(rho) and J(Q_stress) on their
     * own (not only as far as MM needs them) for reporting: {@link #jointLoss()} and {@link #stressedJointLoss()}
     * are then J itself, exact or bounded as {@link #jointLossExact()} and {@link #stressedJointLossExact()}
     * say. MM is the same as on the requirement-only path.
     */
    public double computeDetailed(RiskArrays arrays, ResolvedPortfolio p) {
        return compute(arrays, p, -1, true);
    }

    private double compute(RiskArrays arrays, ResolvedPortfolio p, int excluded, boolean detailed) {
        MarginParameters params = arrays.params();
        int cells = arrays.cells();
        int ne = arrays.extendedCount();
        collectUnits(arrays, p, excluded, cells, ne);
        resetSlots(arrays);
        for (int u = 0; u < units; u++) {
            unitGroupStart[u] = groups;
            unitSeriesStart[u] = seriesCount;
            accumulateUnit(arrays, p, u);
        }
        unitGroupStart[units] = groups;
        unitSeriesStart[units] = seriesCount;
        for (int u = 0; u < units; u++) {
            unitCharges(arrays, u);
        }
        return finish(arrays, p, excluded, detailed);
    }

    /** Equity, the sums over units and the cross-unit charge, from the units' charges. */
    private double finish(RiskArrays arrays, ResolvedPortfolio p, int excluded, boolean detailed) {
        double value = 0.0;
        for (int k = 0; k < p.instrument.length; k++) {
            if (k != excluded) {
                positionValue[k] = positionValue(arrays, p.instrument[k], p.size[k], p.entry[k]);
                value += positionValue[k];
            }
        }
        positionsValue = value;
        equityAndBorrowing(arrays, p);
        equity = collateral + value;
        sumCoreExcess = 0.0;
        sumAddOns = 0.0;
        double sumWorst = 0.0;
        for (int u = 0; u < units; u++) {
            sumWorst += worst[u];
            sumCoreExcess += core[u] - worst[u];
            sumAddOns += roll[u] + liquidity[u];
        }
        floor = (1.0 - arrays.params().offsetCap()) * sumWorst;
        crossUnitCharge = crossUnit(arrays, -1, floor, detailed);
        maintenance = crossUnitCharge + sumAddOns + borrowingCharge;
        return maintenance;
    }

    /**
     * Computes the account's MM (as {@link #compute(RiskArrays, ResolvedPortfolio, int)} with no exclusion) and keeps
     * each unit's matrix and charges in {@code keep}, the account's own store, for {@link #recompute}.
     */
    public double compute(RiskArrays arrays, ResolvedPortfolio p, UnitMatrices keep) {
        double mm = compute(arrays, p, -1, false);
        keep.save(units, unitAsset, acc, stride, worst, worstCell, extendedLoss, shortOptionMin, core, roll, liquidity,
            grid, arrays.params().priceMoveCount());
        return mm;
    }

    /**
     * The account's MM after a change that touched only {@code movedAsset}'s figures (its price, its instruments'
     * arrays, its ADV): re-sums that unit alone and reuses every other unit's matrix and charges from {@code keep}
     * (filled by {@link #compute(RiskArrays, ResolvedPortfolio, UnitMatrices)} or this method for the same account);
     * equity and the cross-unit charge are recomputed. Bit-identical to a full compute, since a unit's sums are
     * taken in the same canonical order either way. Falls back to a full compute when {@code keep} does not hold
     * this account's units. Updates {@code keep}.
     *
     * @param movedAsset the asset index whose figures changed; an asset that is no unit of the account (a stablecoin
     *                   balance, say) changes only equity
     */
    public double recompute(RiskArrays arrays, ResolvedPortfolio p, UnitMatrices keep, int movedAsset) {
        oneMoved[0] = movedAsset;
        return recompute(arrays, p, keep, oneMoved, 1);
    }

    private final int[] oneMoved = new int[1];

    /**
     * As {@link #recompute(RiskArrays, ResolvedPortfolio, UnitMatrices, int)} after a change that touched the figures
     * of several assets: re-sums each of their units (the units of a trade's instruments, of a balance that changed,
     * of resting orders filled in a pre-trade check) and reuses every other unit. Bit-identical to a full compute.
     * Falls back to a full compute when {@code keep} does not hold the account's units (a unit appeared or went).
     *
     * @param movedAssets asset indices (in any order, repeats allowed) in the first {@code movedCount} entries
     */
    public double recompute(RiskArrays arrays, ResolvedPortfolio p, UnitMatrices keep, int[] movedAssets,
                            int movedCount) {
        int cells = arrays.cells();
        int ne = arrays.extendedCount();
        collectUnits(arrays, p, -1, cells, ne);
        int moves = arrays.params().priceMoveCount();
        if (!keep.matches(units, unitAsset, stride, moves)) {
            return compute(arrays, p, keep);
        }
        keep.restore(acc, worst, worstCell, extendedLoss, shortOptionMin, core, roll, liquidity, grid);
        boolean any = false;
        for (int u = 0; u < units; u++) {
            boolean moved = false;
            for (int m = 0; m < movedCount && !moved; m++) {
                moved = movedAssets[m] == unitAsset[u];
            }
            if (!moved) {
                continue;
            }
            if (!any) {
                resetSlots(arrays);
                any = true;
            }
            Arrays.fill(acc, u * stride, (u + 1) * stride, 0.0);
            unitGroupStart[u] = groups;
            unitSeriesStart[u] = seriesCount;
            accumulateUnit(arrays, p, u);
            unitGroupStart[u + 1] = groups;
            unitSeriesStart[u + 1] = seriesCount;
            unitCharges(arrays, u);
            keep.saveUnit(u, acc, stride, worst, worstCell, extendedLoss, shortOptionMin, core, roll, liquidity, grid,
                moves);
        }
        return finish(arrays, p, -1, false);
    }

    /** The figures of the last compute as a value (allocates: the embedding API's convenience). */
    public MarginResult result(RiskArrays arrays) {
        double im = arrays.params().initialMarginMultiplier() * maintenance;
        return new MarginResult(equity, im, maintenance, AccountStatus.of(equity, maintenance, im), exact);
    }

    /**
     * After a {@link #computeDetailed} of {@code p}, the MM of the account without its canonical position
     * {@code k}, computed by taking that position's share out of its unit only (the other units' matrices, and the
     * equity terms, are reused). Equal to a full recompute without the position up to rounding (the unit's sums
     * are taken in another order). Leaves the state of the full compute as it was, except the cross-unit
     * figures.
     */
    public double maintenanceWithout(RiskArrays arrays, ResolvedPortfolio p, int k) {
        int i = p.instrument[k];
        int u = unitOfAsset[arrays.instrumentAsset(i)];
        int base = u * stride;
        double x = p.exposure[k];
        double[] risk = arrays.riskArray();
        int ro = i * stride;
        System.arraycopy(acc, base, savedUnit, 0, stride);
        double savedWorst = worst[u];
        int savedWorstCell = worstCell[u];
        double savedExt = extendedLoss[u];
        double savedSom = shortOptionMin[u];
        double savedCore = core[u];
        double savedRoll = roll[u];
        double savedLiquidity = liquidity[u];
        int gI = positionGroup[k];
        int sI = positionSeries[k];
        double savedGroupDelta = groupDelta[gI];
        double savedSeriesNet = sI >= 0 ? seriesNet[sI] : 0.0;
        int m = arrays.params().priceMoveCount();
        double[] savedGrid = Arrays.copyOfRange(grid, u * m, u * m + m);

        for (int c = 0; c < stride; c++) {
            acc[base + c] -= x * risk[ro + c];
        }
        groupDelta[gI] -= x * risk[ro + greekOffset + ResolvedInstrument.DELTA];
        if (sI >= 0) {
            seriesNet[sI] -= p.size[k];
        }
        unitCharges(arrays, u);
        int count = unitStart[u + 1] - unitStart[u];
        boolean unitGone = count == 1 && !unitHasBalance[u];
        double sumWorst = 0.0;
        double coreExcess = 0.0;
        double addOns = 0.0;
        for (int v = 0; v < units; v++) {
            if (v == u && unitGone) {
                continue;
            }
            sumWorst += worst[v];
            coreExcess += core[v] - worst[v];
            addOns += roll[v] + liquidity[v];
        }
        double fl = (1.0 - arrays.params().offsetCap()) * sumWorst;
        double savedCoreExcess = sumCoreExcess;
        double savedJ = jointLoss;
        double savedJs = stressedJointLoss;
        boolean savedJExact = jointLossExact;
        boolean savedJsExact = stressedJointLossExact;
        boolean savedExact = exact;
        double savedFloor = floor;
        sumCoreExcess = coreExcess;
        double cu = crossUnit(arrays, unitGone ? u : -1, fl, false);
        sumCoreExcess = savedCoreExcess;
        jointLoss = savedJ;
        stressedJointLoss = savedJs;
        jointLossExact = savedJExact;
        stressedJointLossExact = savedJsExact;
        exact = savedExact;
        floor = savedFloor;
        double mm = cu + addOns + borrowingCharge;

        System.arraycopy(savedUnit, 0, acc, base, stride);
        worst[u] = savedWorst;
        worstCell[u] = savedWorstCell;
        extendedLoss[u] = savedExt;
        shortOptionMin[u] = savedSom;
        core[u] = savedCore;
        roll[u] = savedRoll;
        liquidity[u] = savedLiquidity;
        groupDelta[gI] = savedGroupDelta;
        if (sI >= 0) {
            seriesNet[sI] = savedSeriesNet;
        }
        System.arraycopy(savedGrid, 0, grid, u * m, m);
        return mm;
    }

    /** Sums unit u's positions (canonical order) and its own coin balance into its block; notes roll groups and series. */
    private void accumulateUnit(RiskArrays arrays, ResolvedPortfolio p, int u) {
        double[] risk = arrays.riskArray();
        int ao = u * stride;
        for (int x = unitStart[u]; x < unitStart[u + 1]; x++) {
            int k = unitPositions[x];
            int i = p.instrument[k];
            double e = p.exposure[k];
            int ro = i * stride;
            for (int c = 0; c < stride; c++) {
                acc[ao + c] += e * risk[ro + c];
            }
            positionGroup[k] = addRollDelta(arrays.rollGroup(i), e * risk[ro + greekOffset + ResolvedInstrument.DELTA]);
            int s = arrays.series(i);
            positionSeries[k] = s >= 0 ? addSeries(s, p.size[k]) : -1;
        }
        int a = unitAsset[u];
        int moves = arrays.params().priceMoveCount();
        int ne = arrays.extendedCount();
        for (int b = 0; b < p.balanceAsset.length; b++) {
            if (p.balanceAsset[b] != a || p.balance[b] == 0) {
                continue;
            }
            double amount = p.balance[b];
            double usd = amount * arrays.assetPrice(a);
            for (int j = 0; j < moves; j++) {
                double move = usd * arrays.priceMove(a, j);
                for (int v = 0; v < VolShocks.COUNT; v++) {
                    acc[ao + j * VolShocks.COUNT + v] += move;
                }
            }
            for (int c = 0; c < ne; c++) {
                acc[ao + extOffset + c] += usd * arrays.extendedMove(c);
            }
            acc[ao + greekOffset + ResolvedInstrument.DELTA] += amount;
        }
    }

    /**
     * Collateral (positive balances less their haircut of MODEL.md sections 6 and 10, loans in full) and the borrowing
     * charge, in canonical balance order.
     */
    private void equityAndBorrowing(RiskArrays arrays, ResolvedPortfolio p) {
        double coll = 0.0;
        double borrowing = 0.0;
        for (int b = 0; b < p.balanceAsset.length; b++) {
            int a = p.balanceAsset[b];
            double amount = p.balance[b];
            double usd = amount * arrays.assetPrice(a);
            if (amount > 0) {
                coll += usd - arrays.haircutUsd(a, usd);
            } else {
                coll += usd;
                borrowing += -usd;
            }
        }
        collateral = coll;
        borrowingCharge = arrays.params().borrowingRate() * borrowing;
    }

    /** W, X, SOM, C, RS, LA and the worst-over-vol grid row of unit u, from its block. */
    private void unitCharges(RiskArrays arrays, int u) {
        MarginParameters params = arrays.params();
        int cells = arrays.cells();
        int ne = arrays.extendedCount();
        int moves = params.priceMoveCount();
        int a = unitAsset[u];
        double spot = arrays.assetPrice(a);
        double range = arrays.scanRange(a);
        int mo = u * stride;
        double min = Double.POSITIVE_INFINITY;
        int minCell = 0;
        for (int c = 0; c < cells; c++) {
            if (acc[mo + c] < min) {
                min = acc[mo + c];
                minCell = c;
            }
        }
        worst[u] = Math.max(0.0, -min);
        worstCell[u] = minCell;
        double x = 0.0;
        for (int c = 0; c < ne; c++) {
            x = Math.max(x, -acc[mo + extOffset + c] * range / Math.abs(arrays.extendedMove(c)));
        }
        extendedLoss[u] = x;
        double shortSize = 0.0;
        for (int s = unitSeriesStart[u]; s < unitSeriesStart[u + 1]; s++) { // a unit's series are contiguous
            shortSize += Math.max(0.0, -seriesNet[s]);
        }
        shortOptionMin[u] = params.shortOptionMinimum() * spot * shortSize;
        core[u] = Math.max(worst[u], Math.max(extendedLoss[u], shortOptionMin[u]));
        double rs = 0.0;
        for (int gI = unitGroupStart[u]; gI < unitGroupStart[u + 1]; gI++) { // a unit's groups are contiguous
            rs += Math.abs(groupDelta[gI] * spot) * arrays.rollGroupFactor(groupId[gI]);
        }
        roll[u] = rs;
        double adv = arrays.adv(a);
        double notional = Math.abs(acc[mo + greekOffset + ResolvedInstrument.DELTA] * spot);
        liquidity[u] = Double.isNaN(adv) ? 0.0 : params.liquidityFactor() * notional * Math.sqrt(notional / adv);
        for (int j = 0; j < moves; j++) {
            int o = mo + j * VolShocks.COUNT;
            grid[u * moves + j] = Math.min(acc[o], Math.min(acc[o + 1], acc[o + 2]));
        }
    }

    /**
     * The cross-unit charge CU over the units (leaving out unit {@code skip}, or -1), by the canonical sequence:
     * J(Q_stress) above the floor, then J(rho) above the larger. Sets the joint losses and their exactness.
     */
    private double crossUnit(RiskArrays arrays, int skip, double fl, boolean detailed) {
        MarginParameters params = arrays.params();
        int n = skip < 0 ? units : units - 1;
        if (n == 0) {
            jointLoss = 0.0;
            stressedJointLoss = 0.0;
            jointLossExact = true;
            stressedJointLossExact = true;
            exact = true;
            floor = 0.0;
            return 0.0;
        }
        floor = fl;
        if (n == 1) {
            int u = skip == 0 ? 1 : 0;
            jointLoss = worst[u];
            stressedJointLoss = worst[u];
            jointLossExact = true;
            stressedJointLossExact = true;
            exact = true;
            return core[u];
        }
        JointLossSolver s = solver(params);
        int m = params.priceMoveCount();
        fillCrossGrid(skip, n, m);
        double w = params.correlationStressWeight();
        fillQ(arrays, skip, n, w);
        double stressed = s.solve(n, q, crossGrid, fl);
        boolean stressedExact = s.lastExact();
        fillQ(arrays, skip, n, 0.0);
        double both = s.solve(n, q, crossGrid, stressed);
        boolean plainExact = s.lastExact();
        exact = stressedExact && plainExact;
        if (detailed) {
            jointLoss = s.solve(n, q, crossGrid, Double.NEGATIVE_INFINITY);
            jointLossExact = s.lastExact();
            fillQ(arrays, skip, n, w);
            stressedJointLoss = s.solve(n, q, crossGrid, Double.NEGATIVE_INFINITY);
            stressedJointLossExact = s.lastExact();
        } else {
            // only what MM needs: each value is max(J, what it was resolved above)
            stressedJointLoss = stressed;
            stressedJointLossExact = stressedExact;
            jointLoss = both;
            jointLossExact = plainExact;
        }
        return both + sumCoreExcess;
    }

    private void fillCrossGrid(int skip, int n, int m) {
        if (crossGrid.length < n * m) {
            crossGrid = new double[grid.length];
        }
        for (int u = 0, r = 0; u < units; u++) {
            if (u != skip) {
                System.arraycopy(grid, u * m, crossGrid, r * m, m);
                r++;
            }
        }
    }

    /** Q = (1 - w) rho + w (all ones) over the units (without {@code skip}), row-major. */
    private void fillQ(RiskArrays arrays, int skip, int n, double w) {
        if (q.length < n * n) {
            q = new double[n * n];
        }
        for (int u = 0, r = 0; u < units; u++) {
            if (u == skip) {
                continue;
            }
            for (int v = 0, c = 0; v < units; v++) {
                if (v == skip) {
                    continue;
                }
                double rho = arrays.correlation(unitAsset[u], unitAsset[v]);
                q[r * n + c] = u == v ? 1.0 : (w == 0.0 ? rho : (1 - w) * rho + w);
                c++;
            }
            r++;
        }
    }

    private JointLossSolver solver(MarginParameters params) {
        if (solver == null || solverSteps != params.priceSteps() || solverDirections != params.jointLossDirections()) {
            solver = new JointLossSolver(geometries, params.priceSteps(), params.jointLossDirections(), exactUnits,
                leafBudget);
            solverSteps = params.priceSteps();
            solverDirections = params.jointLossDirections();
        }
        return solver;
    }

    private void collectUnits(RiskArrays arrays, ResolvedPortfolio p, int excluded, int cells, int ne) {
        if (unitOfAsset.length < arrays.assetCount()) {
            unitOfAsset = new int[arrays.assetCount()];
        }
        units = 0;
        int np = p.instrument.length;
        for (int k = 0; k < np; k++) {
            if (k != excluded) {
                addUnit(arrays.instrumentAsset(p.instrument[k]));
            }
        }
        for (int b = 0; b < p.balanceAsset.length; b++) {
            int a = p.balanceAsset[b];
            if (!arrays.isStablecoin(a) && p.balance[b] != 0) {
                addUnit(a);
            }
        }
        // canonical unit order: by asset code, independent of input order and of the table's indices
        for (int x = 1; x < units; x++) {
            int a = unitAsset[x];
            int y = x - 1;
            while (y >= 0 && arrays.assetRank(unitAsset[y]) > arrays.assetRank(a)) {
                unitAsset[y + 1] = unitAsset[y];
                y--;
            }
            unitAsset[y + 1] = a;
        }
        stride = arrays.stride();
        extOffset = cells;
        greekOffset = cells + ne;
        ensureUnits(units, arrays.params().priceMoveCount(), np);
        for (int u = 0; u < units; u++) {
            unitOfAsset[unitAsset[u]] = u;
            unitHasBalance[u] = false;
        }
        for (int b = 0; b < p.balanceAsset.length; b++) {
            int a = p.balanceAsset[b];
            if (!arrays.isStablecoin(a) && p.balance[b] != 0) {
                unitHasBalance[unitOfAsset[a]] = true;
            }
        }
        // bucket the positions by unit, keeping their canonical order within each unit
        Arrays.fill(unitStart, 0, units + 1, 0);
        for (int k = 0; k < np; k++) {
            if (k != excluded) {
                unitStart[unitOfAsset[arrays.instrumentAsset(p.instrument[k])] + 1]++;
            }
        }
        for (int u = 0; u < units; u++) {
            unitStart[u + 1] += unitStart[u];
        }
        for (int k = 0; k < np; k++) {
            if (k != excluded) {
                int u = unitOfAsset[arrays.instrumentAsset(p.instrument[k])];
                unitPositions[unitStart[u]++] = k;
            }
        }
        for (int u = units; u > 0; u--) {
            unitStart[u] = unitStart[u - 1];
        }
        unitStart[0] = 0;
        Arrays.fill(acc, 0, units * stride, 0.0);
    }

    private void addUnit(int asset) {
        for (int u = 0; u < units; u++) {
            if (unitAsset[u] == asset) {
                return;
            }
        }
        if (units == unitAsset.length) {
            unitAsset = Arrays.copyOf(unitAsset, units * 2);
        }
        unitAsset[units++] = asset;
    }

    private void ensureUnits(int n, int moves, int positions) {
        if (acc.length < n * stride || worst.length < n || grid.length < n * moves) {
            int cap = Math.max(n, worst.length * 2);
            acc = new double[cap * stride];
            worst = new double[cap];
            worstCell = new int[cap];
            extendedLoss = new double[cap];
            shortOptionMin = new double[cap];
            core = new double[cap];
            roll = new double[cap];
            liquidity = new double[cap];
            grid = new double[cap * moves];
            crossGrid = new double[cap * moves];
            unitHasBalance = new boolean[cap];
            unitStart = new int[cap + 1];
            unitGroupStart = new int[cap + 1];
            unitSeriesStart = new int[cap + 1];
        }
        if (savedUnit.length < stride) {
            savedUnit = new double[stride];
        }
        if (unitPositions.length < positions) {
            int cap = Math.max(positions, unitPositions.length * 2);
            unitPositions = new int[cap];
            positionValue = new double[cap];
            positionGroup = new int[cap];
            positionSeries = new int[cap];
        }
    }

    /** Clears the group and series slots of the last account (O(its groups and series)), sized to the universe. */
    private void resetSlots(RiskArrays arrays) {
        if (groupSlot.length < arrays.rollGroupCount()) {
            groupSlot = new int[arrays.rollGroupCount()];
            Arrays.fill(groupSlot, -1);
            groups = 0;
        }
        if (seriesSlot.length < arrays.seriesCount()) {
            seriesSlot = new int[arrays.seriesCount()];
            Arrays.fill(seriesSlot, -1);
            seriesCount = 0;
        }
        for (int gI = 0; gI < groups; gI++) {
            groupSlot[groupId[gI]] = -1;
        }
        for (int s = 0; s < seriesCount; s++) {
            seriesSlot[seriesId[s]] = -1;
        }
        groups = 0;
        seriesCount = 0;
    }

    private int addRollDelta(int group, double delta) {
        int slot = groupSlot[group];
        if (slot >= 0) {
            groupDelta[slot] += delta;
            return slot;
        }
        if (groups == groupId.length) {
            groupId = Arrays.copyOf(groupId, groups * 2);
            groupDelta = Arrays.copyOf(groupDelta, groups * 2);
        }
        groupId[groups] = group;
        groupDelta[groups] = delta;
        groupSlot[group] = groups;
        return groups++;
    }

    private int addSeries(int series, double size) {
        int slot = seriesSlot[series];
        if (slot >= 0) {
            seriesNet[slot] += size;
            return slot;
        }
        if (seriesCount == seriesId.length) {
            seriesId = Arrays.copyOf(seriesId, seriesCount * 2);
            seriesNet = Arrays.copyOf(seriesNet, seriesCount * 2);
        }
        seriesId[seriesCount] = series;
        seriesNet[seriesCount] = size;
        seriesSlot[series] = seriesCount;
        return seriesCount++;
    }

    /** USD value of a position (MODEL.md section 2) from the universe's cached figures. */
    static double positionValue(RiskArrays arrays, int i, double size, double entry) {
        ResolvedInstrument r = arrays.instrument(i);
        if (r.isOption()) {
            return size * arrays.optionValue(i);
        }
        return r.isLinear() ? size * (r.mark() - entry) : size * (1.0 / entry - 1.0 / r.mark()) * r.spot();
    }

    // ---- results of the last compute ----

    /** Equity in USD. */
    public double equity() {
        return equity;
    }

    /** Sum of the positions' USD values (unrealised P&amp;L of perpetuals and futures, option values). */
    public double positionsValue() {
        return positionsValue;
    }

    /** Maintenance margin MM. */
    public double maintenanceMargin() {
        return maintenance;
    }

    /**
     * True when the last MM is MODEL.md's exact figure: every joint loss that could bind was resolved exactly (or
     * proven not to bind). False when a certified upper bound set it (MM is then at least the exact figure).
     */
    public boolean exact() {
        return exact;
    }

    /** J(rho) (after {@link #computeDetailed}; on the requirement path max(J(rho), what it was resolved above)). */
    public double jointLoss() {
        return jointLoss;
    }

    /** True when {@link #jointLoss()} is exact, false when it is the certified upper bound. */
    public boolean jointLossExact() {
        return jointLossExact;
    }

    /** J(Q_stress) (see {@link #jointLoss()}). */
    public double stressedJointLoss() {
        return stressedJointLoss;
    }

    /** True when {@link #stressedJointLoss()} is exact, false when it is the certified upper bound. */
    public boolean stressedJointLossExact() {
        return stressedJointLossExact;
    }

    /** (1 - c_max) x sum of worst losses. */
    public double floor() {
        return floor;
    }

    /** The cross-unit charge CU. */
    public double crossUnitCharge() {
        return crossUnitCharge;
    }

    /** The borrowing charge. */
    public double borrowingCharge() {
        return borrowingCharge;
    }

    /** Number of risk units. */
    public int unitCount() {
        return units;
    }

    /** Asset index of unit u. */
    public int unitAsset(int u) {
        return unitAsset[u];
    }

    /** Unit u's P&amp;L in cell (j, v). */
    public double cell(int u, int j, int v) {
        return acc[u * stride + j * VolShocks.COUNT + v];
    }

    /** W_u. */
    public double worstLoss(int u) {
        return worst[u];
    }

    /** Index (j x 3 + v) of unit u's worst cell. */
    public int worstCell(int u) {
        return worstCell[u];
    }

    /** X_u. */
    public double extendedLoss(int u) {
        return extendedLoss[u];
    }

    /** SOM_u. */
    public double shortOptionMinimum(int u) {
        return shortOptionMin[u];
    }

    /** C_u. */
    public double coreCharge(int u) {
        return core[u];
    }

    /** RS_u. */
    public double rollShock(int u) {
        return roll[u];
    }

    /** LA_u. */
    public double liquidityAddOn(int u) {
        return liquidity[u];
    }

    /** Greek g of unit u (see {@link ResolvedInstrument#greeks}). */
    public double unitGreek(int u, int g) {
        return acc[u * stride + greekOffset + g];
    }
}
