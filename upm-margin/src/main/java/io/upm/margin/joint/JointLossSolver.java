package io.upm.margin.joint;

/**
 * The joint loss J(Q) of MODEL.md section 5 for any number of units: exact where that is affordable, otherwise a
 * certified upper bound, never an estimate below J. This is the one entry point of the risk core; the parts it
 * combines are:
 * <ul>
 *   <li>1 unit: the unit's worst grid loss (exact);</li>
 *   <li>2 and 3 units: {@link ExactJointLoss} on the unit set's {@link JointLossGeometry} (exact);</li>
 *   <li>4 units and more: first the certified bound U (the smallest of {@link JointLossBound}'s one-unit-block
 *       bound at its optimised multipliers c*, and the bounds with the units paired into blocks of two, at c* and
 *       at c = 0, each pair solved exactly); if U cannot exceed the value the caller needs beaten
 *       ({@code atLeast}), J is irrelevant and the answer is exact; else, up to {@code exactUnits} units, the
 *       exact face branch and bound of {@link ExactJointLoss} within a fixed leaf budget; where that does not
 *       finish, or above {@code exactUnits}, the answer is U, reported as bounded.</li>
 * </ul>
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
        if (n <= 3) {
            return exact.solve(cache.get(n, q, steps, directions), grid, atLeast);
        }
        double upper = upperBound(n, m, q, grid);
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
     * one-unit-block bound at the optimised multipliers c*, the pair-block bounds at c* and at c = 0, and the
     * quadratic bounds at c* and at c = 0. Each is a valid bound on its own, so their minimum is one.
     */
    public double upperBound(int n, int m, double[] q, double[] grid) {
        double best = bound.bound(n, m, q, grid);
        double[] c = bound.multipliers();
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
        best = Math.min(best, JointLossBound.guard(pairBound(n, m, q, grid, null)));
        best = Math.min(best, bound.quadraticBound(n, m, q, grid, c));
        best = Math.min(best, bound.quadraticBound(n, m, q, grid, null));
        return best;
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
