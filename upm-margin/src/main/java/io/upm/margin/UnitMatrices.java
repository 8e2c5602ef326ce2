package io.upm.margin;

import java.util.Arrays;

/**
 * One account's risk units as last computed: per unit its asset, its summed block (cells, extended moves, Greeks),
 * its charges and its worst-over-vol grid row. Kept by the owner of the account (the engine's writer thread, one
 * per account) so that after a price change of one underlying {@link AccountMarginCalculator#recompute} re-sums only
 * that unit and reuses the others.
 *
 * <p>Mutable, single-threaded; its arrays grow to the account's largest unit count and are then reused.
 */
public final class UnitMatrices {
    private int units = -1;
    private int stride;
    private int moves;
    private int[] unitAsset = new int[0];
    private double[] acc = new double[0];
    private double[] worst = new double[0];
    private int[] worstCell = new int[0];
    private double[] extendedLoss = new double[0];
    private double[] shortOptionMin = new double[0];
    private double[] core = new double[0];
    private double[] roll = new double[0];
    private double[] liquidity = new double[0];
    private double[] grid = new double[0];

    /** An empty store: the first recompute with it is a full compute. */
    public UnitMatrices() {
    }

    /** Forgets the stored units (after the account's positions or balances changed). */
    public void clear() {
        units = -1;
    }

    /**
     * Makes this store an exact copy of {@code other} (reusing this store's arrays when they are large enough): a
     * pre-trade check starts from the account's units, re-sums the units its orders touch, and leaves the account's
     * own store as it was.
     */
    public void copyFrom(UnitMatrices other) {
        units = other.units;
        stride = other.stride;
        moves = other.moves;
        if (units < 0) {
            return;
        }
        if (unitAsset.length < other.unitAsset.length || acc.length < other.acc.length || grid.length < other.grid.length) {
            unitAsset = new int[other.unitAsset.length];
            acc = new double[other.acc.length];
            worst = new double[other.worst.length];
            worstCell = new int[other.worstCell.length];
            extendedLoss = new double[other.extendedLoss.length];
            shortOptionMin = new double[other.shortOptionMin.length];
            core = new double[other.core.length];
            roll = new double[other.roll.length];
            liquidity = new double[other.liquidity.length];
            grid = new double[other.grid.length];
        }
        System.arraycopy(other.unitAsset, 0, unitAsset, 0, units);
        System.arraycopy(other.acc, 0, acc, 0, units * stride);
        System.arraycopy(other.worst, 0, worst, 0, units);
        System.arraycopy(other.worstCell, 0, worstCell, 0, units);
        System.arraycopy(other.extendedLoss, 0, extendedLoss, 0, units);
        System.arraycopy(other.shortOptionMin, 0, shortOptionMin, 0, units);
        System.arraycopy(other.core, 0, core, 0, units);
        System.arraycopy(other.roll, 0, roll, 0, units);
        System.arraycopy(other.liquidity, 0, liquidity, 0, units);
        System.arraycopy(other.grid, 0, grid, 0, units * moves);
    }

    /** Number of stored units, or -1 when empty. */
    public int units() {
        return units;
    }

    boolean matches(int n, int[] assets, int blockStride, int moveCount) {
        if (n != units || blockStride != stride || moveCount != moves) {
            return false;
        }
        for (int u = 0; u < n; u++) {
            if (unitAsset[u] != assets[u]) {
                return false;
            }
        }
        return true;
    }

    void save(int n, int[] assets, double[] a, int blockStride, double[] w, int[] wc, double[] x, double[] som,
              double[] c, double[] rs, double[] la, double[] g, int moveCount) {
        units = n;
        stride = blockStride;
        moves = moveCount;
        if (unitAsset.length < n) {
            int cap = Math.max(n, 4);
            unitAsset = new int[cap];
            acc = new double[cap * blockStride];
            worst = new double[cap];
            worstCell = new int[cap];
            extendedLoss = new double[cap];
            shortOptionMin = new double[cap];
            core = new double[cap];
            roll = new double[cap];
            liquidity = new double[cap];
            grid = new double[cap * moveCount];
        } else if (acc.length < n * blockStride || grid.length < n * moveCount) {
            acc = new double[unitAsset.length * blockStride];
            grid = new double[unitAsset.length * moveCount];
        }
        System.arraycopy(assets, 0, unitAsset, 0, n);
        for (int u = 0; u < n; u++) {
            saveUnit(u, a, blockStride, w, wc, x, som, c, rs, la, g, moveCount);
        }
    }

    void saveUnit(int u, double[] a, int blockStride, double[] w, int[] wc, double[] x, double[] som, double[] c,
                  double[] rs, double[] la, double[] g, int moveCount) {
        System.arraycopy(a, u * blockStride, acc, u * blockStride, blockStride);
        worst[u] = w[u];
        worstCell[u] = wc[u];
        extendedLoss[u] = x[u];
        shortOptionMin[u] = som[u];
        core[u] = c[u];
        roll[u] = rs[u];
        liquidity[u] = la[u];
        System.arraycopy(g, u * moveCount, grid, u * moveCount, moveCount);
    }

    void restore(double[] a, double[] w, int[] wc, double[] x, double[] som, double[] c, double[] rs, double[] la,
                 double[] g) {
        System.arraycopy(acc, 0, a, 0, units * stride);
        System.arraycopy(worst, 0, w, 0, units);
        System.arraycopy(worstCell, 0, wc, 0, units);
        System.arraycopy(extendedLoss, 0, x, 0, units);
        System.arraycopy(shortOptionMin, 0, som, 0, units);
        System.arraycopy(core, 0, c, 0, units);
        System.arraycopy(roll, 0, rs, 0, units);
        System.arraycopy(liquidity, 0, la, 0, units);
        System.arraycopy(grid, 0, g, 0, units * moves);
    }

    @Override
    public String toString() {
        return "UnitMatrices[units=" + units + ", assets=" + Arrays.toString(Arrays.copyOf(unitAsset, Math.max(units, 0)))
            + "]";
    }
}
