package io.upm.margin;

import io.upm.margin.params.MarginParameters;
import io.upm.pricing.ResolvedInstrument;
import java.util.Arrays;

/**
 * Computes an account's portfolio margin (MODEL.md sections 4 to 6) from cached {@link RiskArrays}: each
 * unit's matrix is a sum of exposure x instrument array, then the unit charges, the correlation-aware
 * cross-unit charge, equity and the requirements.
 *
 * <p>Single-threaded: one instance per thread. It keeps every intermediate figure of the last
 * {@link #compute} in reused scratch buffers (read them with the accessors, e.g. to build a report);
 * after warm-up a compute allocates nothing.
 */
public final class AccountMarginCalculator {
    private static final int G = ResolvedInstrument.GREEK_COUNT;

    private final JointLossSolver solver = new JointLossSolver();

    // the units of the last account, ascending by asset index
    private int units;
    private int[] unitAsset = new int[8];
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
    private int[] unitOfAsset = new int[0];

    // roll groups and option series of the last account
    private int groups;
    private int[] groupId = new int[32];
    private int[] groupUnit = new int[32];
    private double[] groupDelta = new double[32];
    private int seriesCount;
    private int[] seriesId = new int[32];
    private int[] seriesUnit = new int[32];
    private double[] seriesNet = new double[32];

    // geometry cache local to this thread
    private Object geometryOwner;
    private long[] geometryKeys = new long[16];
    private JointLossSolver.Geometry[] geometries = new JointLossSolver.Geometry[16];
    private int geometryCount;

    // results of the last compute
    private double equity;
    private double positionsValue;
    private double jointLoss;
    private double stressedJointLoss;
    private double floor;
    private double crossUnitCharge;
    private double borrowingCharge;
    private double maintenance;

    /**
     * Computes the margin of an account; the results stay readable until the next call.
     *
     * @param arrays    the risk arrays of the universe the portfolio was resolved against
     * @param p         the account
     * @param excluded  a position index to leave out (for marginal contributions), or -1
     * @return the maintenance margin MM in USD
     */
    public double compute(RiskArrays arrays, ResolvedPortfolio p, int excluded) {
        return compute(arrays, p, excluded, false);
    }

    /**
     * As {@link #compute(RiskArrays, ResolvedPortfolio, int)}, and also resolves J(rho) and J(Q_stress) exactly
     * for reporting. The requirement-only path resolves only max(J(rho), J(Q_stress), floor), which is all MM
     * needs; there {@link #jointLoss()} and {@link #stressedJointLoss()} are lower bounds of the true values
     * clipped at that maximum.
     */
    public double computeDetailed(RiskArrays arrays, ResolvedPortfolio p) {
        return compute(arrays, p, -1, true);
    }

    private double compute(RiskArrays arrays, ResolvedPortfolio p, int excluded, boolean exactJointLosses) {
        MarginParameters params = arrays.params();
        int cells = arrays.cells();
        int moves = params.priceMoveCount();
        int ne = arrays.extendedCount();
        collectUnits(arrays, p, excluded, cells, ne);

        double[] risk = arrays.riskArray();
        double value = 0.0;
        groups = 0;
        seriesCount = 0;
        for (int k = 0; k < p.instrument.length; k++) {
            if (k == excluded) {
                continue;
            }
            int i = p.instrument[k];
            int u = unitOfAsset[arrays.instrumentAsset(i)];
            double x = p.exposure[k];
            int ao = u * stride;
            int ro = i * stride;
            for (int c = 0; c < stride; c++) {
                acc[ao + c] += x * risk[ro + c];
            }
            addRollDelta(arrays.rollGroup(i), u, x * risk[ro + greekOffset + ResolvedInstrument.DELTA]);
            int s = arrays.series(i);
            if (s >= 0) {
                addSeries(s, u, p.size[k]);
            }
            value += positionValue(arrays, i, p.size[k], p.entry[k]);
        }
        positionsValue = value;

        // balances: price risk in their unit, collateral value in equity, loans charged
        double collateral = 0.0;
        double borrowing = 0.0;
        for (int b = 0; b < p.balanceAsset.length; b++) {
            int a = p.balanceAsset[b];
            double amount = p.balance[b];
            double price = arrays.assetPrice(a);
            double usd = amount * price;
            if (amount > 0) {
                collateral += usd - arrays.assetParams(a).haircut().haircutUsd(usd);
            } else {
                collateral += usd;
                borrowing += -usd;
            }
            int u = arrays.isStablecoin(a) ? -1 : unitOfAsset[a];
            if (u >= 0 && amount != 0) {
                for (int j = 0; j < moves; j++) {
                    double move = usd * arrays.priceMove(a, j);
                    for (int v = 0; v < VolShocks.COUNT; v++) {
                        acc[u * stride + j * VolShocks.COUNT + v] += move;
                    }
                }
                for (int c = 0; c < ne; c++) {
                    acc[u * stride + extOffset + c] += usd * arrays.extendedMove(c);
                }
                acc[u * stride + greekOffset + ResolvedInstrument.DELTA] += amount;
            }
        }
        borrowingCharge = params.borrowingRate() * borrowing;
        equity = collateral + value;

        // unit charges
        double sumWorst = 0.0;
        double sumCoreExcess = 0.0;
        double sumAddOns = 0.0;
        for (int u = 0; u < units; u++) {
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
            for (int s = 0; s < seriesCount; s++) {
                if (seriesUnit[s] == u) {
                    shortSize += Math.max(0.0, -seriesNet[s]);
                }
            }
            shortOptionMin[u] = params.shortOptionMinimum() * spot * shortSize;
            core[u] = Math.max(worst[u], Math.max(extendedLoss[u], shortOptionMin[u]));
            double rs = 0.0;
            for (int gI = 0; gI < groups; gI++) {
                if (groupUnit[gI] == u) {
                    rs += Math.abs(groupDelta[gI] * spot) * arrays.rollGroupFactor(groupId[gI]);
                }
            }
            roll[u] = rs;
            double adv = arrays.adv(a);
            double notional = Math.abs(acc[mo + greekOffset + ResolvedInstrument.DELTA] * spot);
            liquidity[u] = Double.isNaN(adv) ? 0.0 : params.liquidityFactor() * notional * Math.sqrt(notional / adv);
            for (int j = 0; j < moves; j++) {
                int o = mo + j * VolShocks.COUNT;
                grid[u * moves + j] = Math.min(acc[o], Math.min(acc[o + 1], acc[o + 2]));
            }
            sumWorst += worst[u];
            sumCoreExcess += core[u] - worst[u];
            sumAddOns += roll[u] + liquidity[u];
        }

        // across units
        if (units == 0) {
            jointLoss = 0.0;
            stressedJointLoss = 0.0;
            floor = 0.0;
            crossUnitCharge = 0.0;
        } else {
            floor = (1.0 - params.offsetCap()) * sumWorst;
            if (exactJointLosses) {
                jointLoss = solver.solve(geometry(arrays, false), grid);
                stressedJointLoss = solver.solve(geometry(arrays, true), grid);
            } else {
                // only max(J(rho), J(Q_stress), floor) matters for MM: each solve is pruned against what is known
                stressedJointLoss = solver.solve(geometry(arrays, true), grid, floor);
                jointLoss = solver.solve(geometry(arrays, false), grid, stressedJointLoss);
            }
            crossUnitCharge = units == 1 ? core[0]
                : Math.max(Math.max(jointLoss, stressedJointLoss), floor) + sumCoreExcess;
        }
        maintenance = crossUnitCharge + sumAddOns + borrowingCharge;
        return maintenance;
    }

    private void collectUnits(RiskArrays arrays, ResolvedPortfolio p, int excluded, int cells, int ne) {
        if (unitOfAsset.length < arrays.assetCount()) {
            unitOfAsset = new int[arrays.assetCount()];
            Arrays.fill(unitOfAsset, -1);
        }
        units = 0;
        for (int k = 0; k < p.instrument.length; k++) {
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
        // ascending asset order: canonical, independent of input order
        for (int x = 1; x < units; x++) {
            int a = unitAsset[x];
            int y = x - 1;
            while (y >= 0 && unitAsset[y] > a) {
                unitAsset[y + 1] = unitAsset[y];
                y--;
            }
            unitAsset[y + 1] = a;
        }
        stride = arrays.stride();
        extOffset = cells;
        greekOffset = cells + ne;
        ensureUnits(units, arrays.params().priceMoveCount());
        for (int u = 0; u < units; u++) {
            unitOfAsset[unitAsset[u]] = u;
        }
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

    private void ensureUnits(int n, int moves) {
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
        }
    }

    private void addRollDelta(int group, int unit, double delta) {
        for (int gI = 0; gI < groups; gI++) {
            if (groupId[gI] == group) {
                groupDelta[gI] += delta;
                return;
            }
        }
        if (groups == groupId.length) {
            groupId = Arrays.copyOf(groupId, groups * 2);
            groupUnit = Arrays.copyOf(groupUnit, groups * 2);
            groupDelta = Arrays.copyOf(groupDelta, groups * 2);
        }
        groupId[groups] = group;
        groupUnit[groups] = unit;
        groupDelta[groups] = delta;
        groups++;
    }

    private void addSeries(int series, int unit, double size) {
        for (int s = 0; s < seriesCount; s++) {
            if (seriesId[s] == series) {
                seriesNet[s] += size;
                return;
            }
        }
        if (seriesCount == seriesId.length) {
            seriesId = Arrays.copyOf(seriesId, seriesCount * 2);
            seriesUnit = Arrays.copyOf(seriesUnit, seriesCount * 2);
            seriesNet = Arrays.copyOf(seriesNet, seriesCount * 2);
        }
        seriesId[seriesCount] = series;
        seriesUnit[seriesCount] = unit;
        seriesNet[seriesCount] = size;
        seriesCount++;
    }

    private JointLossSolver.Geometry geometry(RiskArrays arrays, boolean stressed) {
        Object owner = arrays.geometryCacheIdentity();
        if (owner != geometryOwner) {
            geometryOwner = owner;
            geometryCount = 0;
            Arrays.fill(geometries, null);
        }
        long key = RiskArrays.geometryKey(unitAsset, units, stressed);
        for (int k = 0; k < geometryCount; k++) {
            if (geometryKeys[k] == key && geometries[k].isFor(unitAsset, units)) {
                return geometries[k];
            }
        }
        JointLossSolver.Geometry g = arrays.geometry(key, unitAsset, units, stressed);
        if (geometryCount == geometries.length) {
            geometryCount = 0; // simple reset when full: a bounded local cache
        }
        geometryKeys[geometryCount] = key;
        geometries[geometryCount++] = g;
        return g;
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

    /** J(rho). */
    public double jointLoss() {
        return jointLoss;
    }

    /** J(Q_stress). */
    public double stressedJointLoss() {
        return stressedJointLoss;
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
