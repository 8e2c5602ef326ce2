package io.upm.margin.joint;

/**
 * The joint loss J(Q) of MODEL.md section 5 for any number of units: exact where that is affordable, otherwise a
 * certified upper bound, never an estimate below J. This is the one entry point of the risk core; the parts it
 * combines are:
 * <ul>
 *   <li>1 unit: the unit's worst grid loss (exact);</li>
 *   <li>2 and 3 units: {@link ExactJointLoss} on the unit set's {@link JointLossGeometry}, from the cache (exact);</li>
 *   <li>4 units and more: up to {@code exactUnits} units, the exact face branch and bound of
 *       {@link ExactJointLoss} within a fixed leaf budget; where that does not finish, or above {@code exactUnits},
 *       the certified bound U, reported as bounded. U is the smallest of {@link JointLossBound}'s bounds (one-unit
 *       blocks at optimised multipliers c*, quadratic at c*) and the bounds with the units paired into blocks of
 *       two (each pair solved exactly) at c* and at 0.</li>
 * </ul>
 * Before any of this, for 2 units and more, the bound is computed in stages from the cheapest: where it cannot
 * exceed the value the caller needs beaten ({@code atLeast}), J is irrelevant and the answer, {@code atLeast}, is
 * exact (it is what any exact solve would return).
 * The sequence depends only on the inputs (a fixed leaf budget, not a time limit), so the same inputs give the
 * same value and the same exactness, bit for bit, on every run.
 *
 * <p>Single-threaded: one per writer thread, with its own {@link GeometryCache}; allocation-free on geometry
 * cache hits.
 */
public final class JointLossSolver {
    private final GeometryCache cache;
    private final int steps;
    private final int directions;
    private final int exactUnits;
    private final long leafBudget;
    private final ExactJointLoss exact = new ExactJointLoss();
    private final JointLossBound bound = new JointLossBound();
    private boolean lastExact = true;

    // scratch for the pair bounds
    private double[] worst = new double[0];
    private int[] order = new int[0];
    private boolean[] paired = new boolean[0];
    private final double[] pairGrid = new double[2 * 33];
    private final double[] pairQ = new double[4];

    /**
     * A solver.
     *
     * @param cache      the geometry cache it owns (or shares with nothing on another thread)
     * @param steps      price steps on each side of the grid (m = 2 steps + 1 points)
     * @param directions surface directions of the geometries (0 = by dimension)
     * @param exactUnits the largest unit count solved exactly by branch and bound (3 to 8)
     * @param leafBudget the branch and bound's leaf budget per solve
     */
    public JointLossSolver(GeometryCache cache, int steps, int directions, int exactUnits, long leafBudget) {
        if (exactUnits < 3 || exactUnits > JointLossGeometry.MAX_UNITS) {
            throw new IllegalArgumentException("exactUnits must be in [3, " + JointLossGeometry.MAX_UNITS + "]: " + exactUnits);
        }
        this.cache = cache;
        this.steps = steps;
        this.directions = directions;
        this.exactUnits = exactUnits;
        this.leafBudget = leafBudget;
        exact.leafBudget(leafBudget);
    }

    /**
     * max(J(Q), atLeast), where J is resolved exactly when {@link #lastExact()} says so and is otherwise the
     * certified bound.
     *
     * @param n       units, at least 1
     * @param q       Q over the units, n x n row-major (a correlation matrix: unit diagonal, PSD)
     * @param grid    P_u at the grid points, {@code grid[u * m + j]}
     * @param atLeast the value below which J need not be resolved ({@code -infinity} to resolve J itself)
     * @return max(J, atLeast), USD
     */
    public double solve(int n, double[] q, double[] grid, double atLeast) {
        int m = 2 * steps + 1;
        lastExact = true;
        if (n == 1) {
            double best = atLeast;
            for (int j = 0; j < m; j++) {
                best = Math.max(best, -grid[j]);
            }
            return best;
        }
        // the certified bound first: where it cannot exceed what the caller needs beaten, J is irrelevant (and the
        // answer, atLeast, is the same as after any exact solve: max(J, atLeast) with J <= bound <= atLeast)
        if (n <= 3) {
            // from a cached geometry the exact solve takes a few microseconds; before building one, try the cheapest
            // bound. Either way the value is max(J, atLeast), bit for bit the same (a solve above atLeast returns
            // atLeast itself when J is below it), so the cache's state never changes a result.
            JointLossGeometry g = cache.peek(n, q, steps, directions);
            if (g == null) {
                if (bound.bound(n, m, q, grid) <= atLeast) {
                    return atLeast;
                }
                g = cache.get(n, q, steps, directions);
            }
            return exact.solve(g, grid, atLeast);
        }
        double upper = upperBound(n, m, q, grid, atLeast, true);
        if (upper <= atLeast) {
            return atLeast;
        }
        if (n <= exactUnits) {
            double v = exact.solve(cache.get(n, q, steps, directions), grid, atLeast);
            if (exact.completed()) {
                return v;
            }
        }
        lastExact = false;
        return upper;
    }

    /** True when the last {@link #solve} returned max(J, atLeast) exactly; false when it returned the bound. */
    public boolean lastExact() {
        return lastExact;
    }

    /** The leaf budget of the exact branch and bound. */
    public long leafBudget() {
        return leafBudget;
    }

    /**
     * The certified upper bound of J(Q) for 2 or more units (see {@link JointLossBound}): the smallest of the
     * one-unit-block bound at the optimised multipliers c*, the pair-block bound at c*, the quadratic bound at c*,
     * and the pair-block bound at c = 0 (MODEL.md's block bound with blocks of two, so U is never above it). Each is
     * a valid bound on its own, so their minimum is one. (On random option-like accounts of 4 to 20 units the
     * pair-block bound at c* is the smallest in about 80% of cases, the one-unit bound ties in 14%, the quadratic
     * and the c = 0 pair bound win about 3% each: the quadratic one where units are convex and weakly correlated.)
     */
    public double upperBound(int n, int m, double[] q, double[] grid) {
        return upperBound(n, m, q, grid, Double.NEGATIVE_INFINITY, true);
    }

    /**
     * The bound of {@link #upperBound(int, int, double[], double[])}, computed in stages from the cheapest, stopping
     * as soon as one stage is at most {@code enough} (the caller then needs no more); with {@code pairs} false the
     * pair-block stage is left out (for 2 and 3 units, where an exact solve follows anyway).
     */
    double upperBound(int n, int m, double[] q, double[] grid, double enough, boolean pairs) {
        double best = bound.bound(n, m, q, grid);
        if (best <= enough) {
            return best;
        }
        double[] c = bound.multipliers();
        if (pairs) {
            double quad = 0.0;
            for (int r = 0; r < n; r++) {
                double t = 0.0;
                for (int k = 0; k < n; k++) {
                    t += q[r * n + k] * c[k];
                }
                quad += c[r] * t;
            }
            pairUp(n, m, q, grid);
            best = Math.min(best, JointLossBound.guard(pairBound(n, m, q, grid, c) + Math.sqrt(Math.max(0.0, quad))));
            if (best <= enough) {
                return best;
            }
        }
        best = Math.min(best, bound.quadraticBound(n, m, q, grid, c));
        if (best <= enough || !pairs) {
            return best;
        }
        return Math.min(best, JointLossBound.guard(pairBound(n, m, q, grid, null)));
    }

    /**
     * Pairs the units: in order of decreasing worst loss (ties by index), each unpaired unit with the unpaired unit
     * least correlated with it (ties by index), where diversification of convex losses is largest.
     */
    private void pairUp(int n, int m, double[] q, double[] grid) {
        if (worst.length < n) {
            worst = new double[n];
            order = new int[n];
            paired = new boolean[n];
        }
        for (int u = 0; u < n; u++) {
            double w = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < m; j++) {
                w = Math.max(w, -grid[u * m + j]);
            }
            worst[u] = w;
            order[u] = u;
            paired[u] = false;
        }
        for (int x = 1; x < n; x++) { // insertion sort, descending worst loss, stable
            int u = order[x];
            int y = x - 1;
            while (y >= 0 && worst[order[y]] < worst[u]) {
                order[y + 1] = order[y];
                y--;
            }
            order[y + 1] = u;
        }
        // order becomes the pairing: positions 2k and 2k+1 form a pair; a last odd unit stays alone
        int filled = 0;
        int[] pairing = pairingScratch(n);
        for (int x = 0; x < n; x++) {
            int u = order[x];
            if (paired[u]) {
                continue;
            }
            paired[u] = true;
            int partner = -1;
            for (int y = x + 1; y < n; y++) {
                int v = order[y];
                if (!paired[v] && (partner < 0 || q[u * n + v] < q[u * n + partner])) {
                    partner = v;
                }
            }
            pairing[filled++] = u;
            if (partner >= 0) {
                paired[partner] = true;
                pairing[filled++] = partner;
            }
        }
    }

    private int[] pairingScratch;

    private int[] pairingScratch(int n) {
        if (pairingScratch == null || pairingScratch.length < n) {
            pairingScratch = new int[n];
        }
        return pairingScratch;
    }

    /**
     * sum over the pairs of J_pair(f - c z) (exact, 2 units), plus h_u(c_u) of a last single unit; c = null means
     * c = 0. Without the sqrt(c'Qc) term.
     */
    private double pairBound(int n, int m, double[] q, double[] grid, double[] c) {
        double half = 0.5 * (m - 1);
        double total = 0.0;
        for (int x = 0; x < n; x += 2) {
            int u = pairingScratch[x];
            if (x + 1 == n) {
                double h = Double.NEGATIVE_INFINITY;
                double cu = c == null ? 0.0 : c[u];
                for (int j = 0; j < m; j++) {
                    h = Math.max(h, -grid[u * m + j] - cu * (j / half - 1.0));
                }
                total += h;
                break;
            }
            int v = pairingScratch[x + 1];
            double cu = c == null ? 0.0 : c[u];
            double cv = c == null ? 0.0 : c[v];
            for (int j = 0; j < m; j++) {
                double z = j / half - 1.0;
                pairGrid[j] = grid[u * m + j] + cu * z;
                pairGrid[m + j] = grid[v * m + j] + cv * z;
            }
            pairQ[0] = q[u * n + u];
            pairQ[1] = q[u * n + v];
            pairQ[2] = q[v * n + u];
            pairQ[3] = q[v * n + v];
            total += exact.solve(cache.get(2, pairQ, steps, directions), pairGrid, Double.NEGATIVE_INFINITY);
        }
        return total;
    }
}
