package io.upm.margin.joint;

import java.util.Arrays;

/**
 * The exact joint loss J(Q) of MODEL.md section 5: the largest loss -sum_u P_u(z_u) over the joint standardised
 * moves z in the ellipsoid E = {Q^{1/2} w : |w| &lt;= 1}, where P_u is a unit's worst P&amp;L over the vol
 * states, linear between the risk matrix's price points. (For a correlation matrix E lies inside the box
 * |z_u| &lt;= 1.)
 *
 * <p>Method. The objective f(z) = -sum_u P_u(z_u) is separable and linear on each cell of the price grid, so its
 * maximum over (cell intersected with E) lies at an extreme point of that set: a grid vertex inside E; a point
 * of E's surface inside the cell where the cell's linear piece c.z is stationary, z* = Q c / sqrt(c'Qc); on a
 * cell face z_u = k, the stationary point of the face's ellipse; or an "edge point" where all but one coordinate
 * sit on grid values and the last is at an end of its feasible interval.
 * <ul>
 *   <li>2 and 3 units ({@link JointLossGeometry#exact}): every grid vertex inside E and every edge point (listed
 *       in the geometry), then every cell and, for 3 units, every face cell by a depth-first search pruned by box
 *       bounds. Exact to rounding; allocation-free.</li>
 *   <li>4 to 8 units: a lower bound from the vertices, surface directions with a cell-stationary polish and a
 *       pattern search, then an exact depth-first branch and bound over every face of the grid (closed-form
 *       maximum on each face's slice of the ball), pruned by box bounds and by the certified bound
 *       ({@link JointLossBound}) of the remaining units. Exact when it finishes within its leaf budget
 *       ({@link #completed()}); otherwise the value is a lower bound. The risk core uses it only where it is told
 *       to ({@code exactUnits}); tests use it for exact references.</li>
 * </ul>
 * Every point evaluated is feasible, so the value never exceeds J.
 *
 * <p>A {@link JointLossGeometry} depends only on Q and is shared (immutable); a solver holds scratch buffers and
 * is single-threaded.
 */
public final class ExactJointLoss {
    /** Number of best surface points polished (4 units and more). */
    static final int REFINED_STARTS = 4;
    /** The pattern search stops when its step on the unit sphere is below this. */
    static final double MIN_STEP = 1e-3;
    /** Evaluation budget of one pattern search. */
    static final int MAX_EVALUATIONS = 120;
    /** Iterations of one cell-stationary polish. */
    static final int POLISH_ITERATIONS = 10;
    /**
     * c'Qc below this fraction of |c|^2 counts as zero: the linear piece is flat on the ellipsoid, and the
     * stationary-point formula would only amplify rounding noise into an infeasible point.
     */
    static final double FLAT = 1e-12;
    private static final int MAX_UNITS = JointLossGeometry.MAX_UNITS;

    private double[] slopes = new double[MAX_UNITS * 9];
    private final double[] wTry = new double[MAX_UNITS];
    private final double[] wBest = new double[MAX_UNITS];
    private final int[] top = new int[REFINED_STARTS];
    private final double[] topValue = new double[REFINED_STARTS];
    private final double[] z = new double[MAX_UNITS];
    private final int[] cell = new int[MAX_UNITS];
    private final int[] previousCell = new int[MAX_UNITS];
    private final int[] olderCell = new int[MAX_UNITS];
    private final double[] gradient = new double[MAX_UNITS];
    private final double[] product = new double[MAX_UNITS];
    private double[] segmentMax = new double[MAX_UNITS * 9];
    private final double[] unitMax = new double[MAX_UNITS];
    private boolean settled;
    private final boolean[] fixed = new boolean[MAX_UNITS];
    private final int[] freeIdx = new int[MAX_UNITS];
    private final int[] fixedIdx = new int[MAX_UNITS];
    private final double[] solveBuf = new double[MAX_UNITS * (MAX_UNITS + 1)];
    private final double[] conditionalMean = new double[MAX_UNITS];
    private final double[] conditionalShape = new double[MAX_UNITS * MAX_UNITS];
    private final int[] vertexCode = new int[MAX_UNITS];

    /** A solver with scratch for up to {@link JointLossGeometry#MAX_UNITS} units. */
    public ExactJointLoss() {
    }

    /** Leaves the face branch and bound may visit (4 to 8 units) before it gives up; see {@link #completed()}. */
    private long leafBudget = DEFAULT_LEAF_BUDGET;
    /** False when the last solve of 4 to 8 units ran out of its leaf budget: its value is then only a lower bound. */
    private boolean completed = true;

    /** The default leaf budget of the face branch and bound. */
    public static final long DEFAULT_LEAF_BUDGET = 2_000_000L;

    /**
     * Sets the leaf budget of the face branch and bound (4 to 8 units). A solve that exhausts it returns the best
     * value found, a lower bound of J, and {@link #completed()} is then false.
     */
    public void leafBudget(long leaves) {
        if (leaves < 1) {
            throw new IllegalArgumentException("leaf budget must be positive: " + leaves);
        }
        this.leafBudget = leaves;
    }

    /**
     * True when the last {@link #solve} is exact: always for 1 to 3 units; for 4 to 8 units when the face branch and
     * bound finished within its leaf budget.
     */
    public boolean completed() {
        return completed;
    }

    /**
     * The joint loss.
     *
     * @param g    the geometry of Q over the n units
     * @param grid P_u at the grid points: {@code grid[u * m + j]}, m = 2 x steps + 1
     * @return J(Q) in USD (negative when every joint move is a gain)
     */
    public double solve(JointLossGeometry g, double[] grid) {
        return solve(g, grid, Double.NEGATIVE_INFINITY);
    }

    /**
     * max(J(Q), atLeast), exactly: the search is pruned against {@code atLeast} from the start, which is much
     * faster when the caller only needs the larger of J and a known value (the margin requirement needs
     * max(J(rho), J(Q_stress), floor), not each term). With {@code atLeast} = -infinity it is J(Q).
     *
     * @param g       the geometry of Q over the n units
     * @param grid    P_u at the grid points
     * @param atLeast the value below which J need not be resolved
     * @return max(J(Q), atLeast) in USD
     */
    public double solve(JointLossGeometry g, double[] grid, double atLeast) {
        int n = g.n;
        int m = g.m;
        completed = true;
        if (n == 1) {
            double best = atLeast;
            for (int j = 0; j < m; j++) {
                best = Math.max(best, -grid[j]);
            }
            return best;
        }
        if (slopes.length < n * m) {
            slopes = new double[n * m]; // once per larger grid; never on the steady-state path
            segmentMax = new double[n * m];
        }
        for (int u = 0; u < n; u++) {
            for (int j = 0; j < m - 1; j++) {
                slopes[u * m + j] = grid[u * m + j + 1] - grid[u * m + j];
            }
        }
        // (1) grid vertices inside the ellipsoid: exact
        double best = atLeast;
        byte[] vi = g.vertexIndex;
        for (int k = 0, off = 0; k < g.vertexCount; k++, off += n) {
            double s = 0.0;
            for (int u = 0; u < n; u++) {
                s += grid[u * m + vi[off + u]];
            }
            best = Math.max(best, -s);
        }
        if (g.exact) {
            return exactSurfaceMaximum(g, grid, best);
        }
        // (2) surface points (directions and edge points), keeping the best few
        Arrays.fill(topValue, Double.NEGATIVE_INFINITY);
        Arrays.fill(top, -1);
        int[] idx = g.surfaceIndex;
        double[] frac = g.surfaceFraction;
        for (int k = 0, off = 0; k < g.surfaceCount; k++, off += n) {
            double s = 0.0;
            for (int u = 0; u < n; u++) {
                int c = u * m + idx[off + u];
                s += grid[c] + frac[off + u] * slopes[c];
            }
            insertTop(k, -s);
        }
        best = Math.max(best, topValue[0]);
        // (3) an active-set polish from the best few; a pattern search where it does not settle
        for (int t = 0; t < REFINED_STARTS; t++) {
            if (top[t] < 0) {
                continue;
            }
            double polished = activeSetPolish(g, grid, top[t]);
            best = Math.max(best, polished);
            if (!settled) {
                best = Math.max(best, patternSearch(g, grid, top[t], Math.max(topValue[t], polished)));
            }
        }
        // (4) interior grid vertices when there are too many to list: coordinate ascent from the centre
        if (g.vertexCount == 0) {
            best = Math.max(best, vertexAscent(g, grid));
        }
        // (5) exact: branch and bound over every face of the price grid, pruned by box bounds
        if (g.faceProjectors != null) {
            best = faceBranchAndBound(g, grid, best);
        }
        return best;
    }

    private long leaves;
    private final JointLossBound suffixBound = new JointLossBound();
    private final double[] suffixQ = new double[MAX_UNITS * MAX_UNITS];
    private final double[] suffixGrid = new double[MAX_UNITS * 33];
    private double[] bbGrid;
    private final int[] choice = new int[MAX_UNITS];
    private final double[] wLeaf = new double[MAX_UNITS];
    private final double[] dLeaf = new double[MAX_UNITS];
    private final double[] gLeaf = new double[MAX_UNITS];
    private final double[] remaining = new double[MAX_UNITS + 1];

    /**
     * Every face of the price grid: each unit either fixed on one of the m grid values or free within one of
     * the m - 1 intervals. On each such face the objective is linear and its maximum over the face's slice
     * of the ball |w| &lt;= 1 has a closed form: w = w0 + sqrt(1 - |w0|^2) d / |d|, with w0 the minimum-norm
     * point with the fixed coordinates (A_F w0 = z_F) and d the gradient projected on the null space of
     * A_F. The maximum of J is at one of these points, so the enumeration is exact; a depth-first search
     * skips every subtree whose box bound (fixed values plus interval maxima) cannot beat the best value.
     */
    private double faceBranchAndBound(JointLossGeometry g, double[] grid, double best) {
        int n = g.n;
        int m = g.m;
        for (int u = 0; u < n; u++) {
            double all = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < m; j++) {
                all = Math.max(all, -grid[u * m + j]);
            }
            unitMax[u] = all;
            for (int i = 0; i < m - 1; i++) {
                segmentMax[u * m + i] = -Math.min(grid[u * m + i], grid[u * m + i + 1]);
            }
        }
        remaining[n] = 0.0;
        for (int u = n - 1; u >= 0; u--) {
            remaining[u] = remaining[u + 1] + unitMax[u];
            int k = n - u;
            if (k >= 2) {
                // the units u..n-1 live in the projection of E on their coordinates (the ellipsoid of their principal
                // submatrix), so the certified bound of their joint loss there bounds every subtree's rest as well
                for (int r = 0; r < k; r++) {
                    for (int c = 0; c < k; c++) {
                        suffixQ[r * k + c] = g.q[(u + r) * n + (u + c)];
                    }
                }
                System.arraycopy(grid, u * m, suffixGrid, 0, k * m);
                double b = suffixBound.bound(k, m, suffixQ, suffixGrid);
                b = Math.min(b, suffixBound.quadraticBound(k, m, suffixQ, suffixGrid, suffixBound.multipliers()));
                remaining[u] = Math.min(remaining[u], b);
            }
        }
        leaves = 0;
        bbGrid = grid;
        double result = dfs(g, 0, 0, 0.0, best);
        completed = leaves < leafBudget;
        return result;
    }

    private double dfs(JointLossGeometry g, int u, int mask, double partial, double best) {
        int n = g.n;
        int m = g.m;
        if (u == n) {
            leaves++;
            return Math.max(best, faceMaximum(g, mask));
        }
        double rest = remaining[u + 1];
        for (int j = 0; j < m && leaves < leafBudget; j++) {
            double v = -bbGrid[u * m + j];
            if (partial + v + rest > best) {
                choice[u] = j;
                best = dfs(g, u + 1, mask | (1 << u), partial + v, best);
            }
        }
        for (int i = 0; i < m - 1 && leaves < leafBudget; i++) {
            double v = segmentMax[u * m + i];
            if (partial + v + rest > best) {
                choice[u] = i;
                best = dfs(g, u + 1, mask, partial + v, best);
            }
        }
        return best;
    }

    /** The closed-form maximum on the face given by {@code mask} (fixed units) and {@link #choice}. */
    private double faceMaximum(JointLossGeometry g, int mask) {
        int n = g.n;
        int m = g.m;
        double half = 0.5 * (m - 1);
        double[] pinv = g.facePseudoInverses[mask];
        double[] proj = g.faceProjectors[mask];
        int[] fixedList = g.faceFixed[mask];
        int k = fixedList.length;
        double norm0 = 0.0;
        for (int r = 0; r < n; r++) {
            double s = 0.0;
            for (int i = 0; i < k; i++) {
                s += pinv[r * k + i] * (choice[fixedList[i]] / half - 1.0);
            }
            wLeaf[r] = s;
            norm0 += s * s;
        }
        if (norm0 > 1.0 + 1e-12) {
            return Double.NEGATIVE_INFINITY; // the face misses the ellipsoid
        }
        double[] root = g.sqrtQ;
        for (int r = 0; r < n; r++) {
            gLeaf[r] = 0.0;
        }
        for (int u = 0; u < n; u++) {
            if ((mask & (1 << u)) == 0) {
                double slope = -(bbGrid[u * m + choice[u] + 1] - bbGrid[u * m + choice[u]]) * half;
                for (int r = 0; r < n; r++) {
                    gLeaf[r] += slope * root[u * n + r];
                }
            }
        }
        double dn = 0.0;
        double gn = 0.0;
        for (int r = 0; r < n; r++) {
            double s = 0.0;
            for (int c = 0; c < n; c++) {
                s += proj[r * n + c] * gLeaf[c];
            }
            dLeaf[r] = s;
            dn += s * s;
            gn += gLeaf[r] * gLeaf[r];
        }
        // a gradient (numerically) inside the fixed rows' span gives no direction to move: stay at w0
        double t = dn > 1e-20 * gn && dn > 1e-300 ? Math.sqrt(Math.max(0.0, 1.0 - norm0) / dn) : 0.0;
        double nw = 0.0;
        for (int r = 0; r < n; r++) {
            wLeaf[r] += t * dLeaf[r];
            nw += wLeaf[r] * wLeaf[r];
        }
        if (nw > 1.0) {
            double inv = 1.0 / Math.sqrt(nw); // rounding only: keep the point feasible
            for (int r = 0; r < n; r++) {
                wLeaf[r] *= inv;
            }
        }
        double value = 0.0;
        for (int u = 0; u < n; u++) {
            double zu = 0.0;
            for (int r = 0; r < n; r++) {
                zu += root[u * n + r] * wLeaf[r];
            }
            value -= interpolate(bbGrid, u * m, m, zu);
        }
        return value;
    }

    /**
     * The exact maximum for 2 and 3 units, given the best vertex value: every edge point, then for every grid
     * cell that the surface crosses the stationary point of its linear piece (kept when it lies in the cell),
     * and for 3 units the same on every face cell the surface crosses. Cells whose box bound cannot beat the
     * best value so far are skipped.
     */
    private double exactSurfaceMaximum(JointLossGeometry g, double[] grid, double vertexBest) {
        int n = g.n;
        int m = g.m;
        double half = 0.5 * (m - 1);
        double best = vertexBest;
        int[] idx = g.surfaceIndex;
        double[] frac = g.surfaceFraction;
        for (int k = g.directionCount, off = g.directionCount * n; k < g.surfaceCount; k++, off += n) {
            double s = 0.0;
            for (int u = 0; u < n; u++) {
                int c = u * m + idx[off + u];
                s += grid[c] + frac[off + u] * slopes[c];
            }
            best = Math.max(best, -s);
        }
        // the largest value of -P_u on each grid interval, and on the whole range: box bounds
        for (int u = 0; u < n; u++) {
            double all = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < m - 1; i++) {
                double v = -Math.min(grid[u * m + i], grid[u * m + i + 1]);
                segmentMax[u * m + i] = v;
                all = Math.max(all, v);
            }
            unitMax[u] = all;
        }
        remaining[n] = 0.0;
        for (int u = n - 1; u >= 0; u--) {
            remaining[u] = remaining[u + 1] + unitMax[u];
        }
        orderIntervals(n, m);
        cellFilter = g.cellFilter();
        faceFilter = g.faceFilter();
        best = cellSearch(g, grid, 0, 0.0, best, half);
        if (n == 3) {
            best = faceMaximum(g, grid, best, half);
        }
        return best;
    }

    /**
     * Every grid cell, by a depth-first search over the units' intervals that skips every subtree whose box bound
     * (the interval maxima chosen so far plus the rest's largest values) cannot beat the best value: at a cell, the
     * stationary point z* = Q c / sqrt(c'Qc) of its linear piece on the surface, kept when it lies in the cell.
     */
    private double cellSearch(JointLossGeometry g, double[] grid, int u, double partial, double best, double half) {
        int n = g.n;
        int m = g.m;
        if (u == n) {
            if (cellFilter != null) {
                int code = 0;
                for (int x = n - 1; x >= 0; x--) {
                    code = code * (m - 1) + cell[x];
                }
                if (cellFilter[code] == 0) {
                    return best; // the surface does not pass through this cell
                }
            }
            return Math.max(best, cellStationary(g, grid, half));
        }
        double rest = remaining[u + 1];
        // intervals in order of decreasing largest loss: the best value rises early and the rest is cut at once
        int base = u * m;
        for (int x = 0; x < m - 1; x++) {
            int i = intervalOrder[base + x];
            double v = segmentMax[base + i];
            if (partial + v + rest <= best) {
                break;
            }
            cell[u] = i;
            best = cellSearch(g, grid, u + 1, partial + v, best, half);
        }
        return best;
    }

    /** Orders each unit's intervals by decreasing largest loss (ties by index), into {@link #intervalOrder}. */
    private void orderIntervals(int n, int m) {
        if (intervalOrder.length < n * m) {
            intervalOrder = new int[n * m];
        }
        for (int u = 0; u < n; u++) {
            int base = u * m;
            for (int x = 0; x < m - 1; x++) {
                int i = x;
                int y = x - 1;
                while (y >= 0 && segmentMax[base + intervalOrder[base + y]] < segmentMax[base + i]) {
                    intervalOrder[base + y + 1] = intervalOrder[base + y];
                    y--;
                }
                intervalOrder[base + y + 1] = i;
            }
        }
    }

    private int[] intervalOrder = new int[MAX_UNITS * 9];
    private byte[] cellFilter;
    private byte[] faceFilter;

    /** The value at the stationary point of the cell in {@link #cell}, or -infinity when it is not in the cell. */
    private double cellStationary(JointLossGeometry g, double[] grid, double half) {
        int n = g.n;
        int m = g.m;
        double[] q = g.q;
        for (int u = 0; u < n; u++) {
            gradient[u] = -slopes[u * m + cell[u]] * half;
        }
        double quad = 0.0;
        double norm = 0.0;
        for (int u = 0; u < n; u++) {
            double t = 0.0;
            for (int c = 0; c < n; c++) {
                t += q[u * n + c] * gradient[c];
            }
            product[u] = t;
            quad += gradient[u] * t;
            norm += gradient[u] * gradient[u];
        }
        if (!(quad > FLAT * norm) || !(quad > 1e-300)) {
            return Double.NEGATIVE_INFINITY; // flat on the ellipsoid: its value is reached on the cell's edge points
        }
        double inv = 1.0 / Math.sqrt(quad);
        double value = 0.0;
        for (int u = 0; u < n; u++) {
            double zu = product[u] * inv;
            double t = (zu + 1.0) * half - cell[u];
            if (t < -1e-12 || t > 1.0 + 1e-12) {
                return Double.NEGATIVE_INFINITY;
            }
            value -= grid[u * m + cell[u]] + t * slopes[u * m + cell[u]];
        }
        return value;
    }

    /** The face part of {@link #exactSurfaceMaximum} for 3 units: coordinate u fixed on grid point k. */
    private double faceMaximum(JointLossGeometry g, double[] grid, double bestSoFar, double half) {
        int m = g.m;
        double best = bestSoFar;
        double[] q = g.q;
        for (int u = 0; u < 3; u++) {
            int a = u == 0 ? 1 : 0;
            int b = u == 2 ? 1 : 2;
            for (int k = 1; k < m - 1; k++) {
                // a maximum on the face z_u = k needs -P_u to bend down there (P_u convex); elsewhere it is a
                // stationary point of a neighbouring cell, closed cells included. The box faces k = 0, m - 1
                // touch the ellipsoid in one point each, evaluated with the edge points.
                boolean concaveKink = slopes[u * m + k] > slopes[u * m + k - 1];
                double fixed = -grid[u * m + k];
                if (!concaveKink || fixed + unitMax[a] + unitMax[b] <= best) {
                    continue;
                }
                for (int xa = 0; xa < m - 1; xa++) {
                    int ia = intervalOrder[a * m + xa];
                    if (fixed + segmentMax[a * m + ia] + unitMax[b] <= best) {
                        break;
                    }
                    for (int xb = 0; xb < m - 1; xb++) {
                        int ib = intervalOrder[b * m + xb];
                        if (fixed + segmentMax[a * m + ia] + segmentMax[b * m + ib] <= best) {
                            break;
                        }
                        if (faceFilter == null || faceFilter[((u * m + k) * (m - 1) + ia) * (m - 1) + ib] != 0) {
                            best = Math.max(best, faceStationary(g, grid, u, a, b, k, ia, ib, fixed, half));
                        }
                    }
                }
            }
        }
        return best;
    }

    /** The value at the stationary point of face cell (u = k; a in ia; b in ib), or -infinity when outside it. */
    private double faceStationary(JointLossGeometry g, double[] grid, int u, int a, int b, int k, int ia, int ib,
                                  double fixed, double half) {
        int m = g.m;
        double[] q = g.q;
        double zk = k / half - 1.0;
        double ca = -slopes[a * m + ia] * half;
        double cb = -slopes[b * m + ib] * half;
        double[] sc = g.schur[u];
        double pa = sc[a * 3 + a] * ca + sc[a * 3 + b] * cb;
        double pb = sc[b * 3 + a] * ca + sc[b * 3 + b] * cb;
        double quad = ca * pa + cb * pb;
        double room = 1.0 - zk * zk;
        if (!(quad > FLAT * (ca * ca + cb * cb)) || !(quad > 1e-300) || room <= 0) {
            return Double.NEGATIVE_INFINITY;
        }
        double scale = Math.sqrt(room / quad);
        double za = q[a * 3 + u] * zk + pa * scale;
        double zb = q[b * 3 + u] * zk + pb * scale;
        double ta = (za + 1.0) * half - ia;
        double tb = (zb + 1.0) * half - ib;
        if (ta >= -1e-12 && ta <= 1.0 + 1e-12 && tb >= -1e-12 && tb <= 1.0 + 1e-12) {
            return fixed - grid[a * m + ia] - ta * slopes[a * m + ia] - grid[b * m + ib] - tb * slopes[b * m + ib];
        }
        return Double.NEGATIVE_INFINITY;
    }

    /**
     * Active-set polish (4 units and more) from surface point {@code start}: jump to the stationary point
     * z* = mu + S c / sqrt(c'S c) sqrt(room) of the current cell's linear piece on the slice of the ellipsoid
     * where the fixed coordinates sit on grid values (mu = Q_fF Q_FF^-1 z_F, S = the Schur complement,
     * room = 1 - z_F' Q_FF^-1 z_F); when z* lies in the cell it came from the piece's maximum is found
     * ({@link #settled}); when one coordinate bounces between two neighbouring cells it is fixed on the grid
     * value between them. Every point visited is feasible, so the value is a lower bound of J.
     */
    private double activeSetPolish(JointLossGeometry g, double[] grid, int start) {
        int n = g.n;
        int m = g.m;
        double half = 0.5 * (m - 1);
        for (int u = 0; u < n; u++) {
            z[u] = g.surfacePoints[start * n + u];
            fixed[u] = false;
            cell[u] = -1;
            previousCell[u] = -1;
            olderCell[u] = -1;
        }
        settled = false;
        double best = Double.NEGATIVE_INFINITY;
        for (int it = 0; it < 4 * POLISH_ITERATIONS; it++) {
            boolean changed = false;
            boolean cycle = true;
            int free = 0;
            for (int u = 0; u < n; u++) {
                olderCell[u] = previousCell[u];
                previousCell[u] = cell[u];
                if (fixed[u]) {
                    continue;
                }
                double t = (z[u] + 1.0) * half;
                int i = Math.min(Math.max((int) t, 0), m - 2);
                cell[u] = i;
                gradient[u] = -slopes[u * m + i] * half;
                changed |= i != previousCell[u];
                cycle &= i == olderCell[u];
                freeIdx[free++] = u;
            }
            if (free == 0 || !changed) {
                settled = true;
                return best;
            }
            if (cycle) {
                int differing = -1;
                int count = 0;
                for (int k = 0; k < free; k++) {
                    int u = freeIdx[k];
                    if (cell[u] != previousCell[u]) {
                        differing = u;
                        count++;
                    }
                }
                if (count != 1 || Math.abs(cell[differing] - previousCell[differing]) != 1) {
                    return best;
                }
                fixed[differing] = true;
                z[differing] = Math.max(cell[differing], previousCell[differing]) / half - 1.0;
                for (int u = 0; u < n; u++) {
                    cell[u] = -1;
                    previousCell[u] = -1;
                    olderCell[u] = -1;
                }
                continue;
            }
            double room = conditional(g, free);
            if (!(room > 0)) {
                return best;
            }
            double quad = 0.0;
            double norm = 0.0;
            for (int a = 0; a < free; a++) {
                double sc = 0.0;
                for (int b = 0; b < free; b++) {
                    sc += conditionalShape[a * free + b] * gradient[freeIdx[b]];
                }
                product[a] = sc;
                quad += gradient[freeIdx[a]] * sc;
                norm += gradient[freeIdx[a]] * gradient[freeIdx[a]];
            }
            if (!(quad > FLAT * norm)) {
                quad = 0.0; // flat on the slice: stay at its centre
            }
            double scale = quad > 1e-300 ? Math.sqrt(room / quad) : 0.0;
            double value = 0.0;
            for (int a = 0; a < free; a++) {
                z[freeIdx[a]] = conditionalMean[a] + product[a] * scale;
            }
            for (int u = 0; u < n; u++) {
                value += interpolate(grid, u * m, m, z[u]);
            }
            best = Math.max(best, -value);
            if (!(quad > 1e-300)) {
                settled = true;
                return best;
            }
        }
        return best;
    }

    /**
     * The slice of the ellipsoid where the fixed coordinates hold their values: fills the conditional mean
     * and the Schur complement over the free coordinates (in {@link #freeIdx} order) and returns the room
     * 1 - z_F' Q_FF^-1 z_F (negative or NaN when the slice is empty or Q_FF singular).
     */
    private double conditional(JointLossGeometry g, int free) {
        int n = g.n;
        double[] q = g.q;
        int k = 0;
        for (int u = 0; u < n; u++) {
            if (fixed[u]) {
                fixedIdx[k++] = u;
            }
        }
        if (k == 0) {
            for (int a = 0; a < free; a++) {
                conditionalMean[a] = 0.0;
                for (int b = 0; b < free; b++) {
                    conditionalShape[a * free + b] = q[freeIdx[a] * n + freeIdx[b]];
                }
            }
            return 1.0;
        }
        // solve Q_FF X = [z_F | Q_Ff] by Gaussian elimination with partial pivoting
        int cols = 1 + free;
        int w = k + cols;
        double[] a = solveBuf;
        for (int r = 0; r < k; r++) {
            for (int c = 0; c < k; c++) {
                a[r * w + c] = q[fixedIdx[r] * n + fixedIdx[c]];
            }
            a[r * w + k] = z[fixedIdx[r]];
            for (int c = 0; c < free; c++) {
                a[r * w + k + 1 + c] = q[fixedIdx[r] * n + freeIdx[c]];
            }
        }
        for (int p = 0; p < k; p++) {
            int pivot = p;
            for (int r = p + 1; r < k; r++) {
                if (Math.abs(a[r * w + p]) > Math.abs(a[pivot * w + p])) {
                    pivot = r;
                }
            }
            if (Math.abs(a[pivot * w + p]) < 1e-10) {
                return Double.NaN; // perfectly correlated fixed coordinates: leave it to the pattern search
            }
            if (pivot != p) {
                for (int c = 0; c < w; c++) {
                    double tmp = a[p * w + c];
                    a[p * w + c] = a[pivot * w + c];
                    a[pivot * w + c] = tmp;
                }
            }
            for (int r = 0; r < k; r++) {
                if (r != p) {
                    double f = a[r * w + p] / a[p * w + p];
                    for (int c = p; c < w; c++) {
                        a[r * w + c] -= f * a[p * w + c];
                    }
                }
            }
        }
        double room = 1.0;
        for (int r = 0; r < k; r++) {
            room -= z[fixedIdx[r]] * a[r * w + k] / a[r * w + r];
        }
        for (int i = 0; i < free; i++) {
            double mean = 0.0;
            for (int r = 0; r < k; r++) {
                mean += q[freeIdx[i] * n + fixedIdx[r]] * a[r * w + k] / a[r * w + r];
            }
            conditionalMean[i] = mean;
            for (int j = 0; j < free; j++) {
                double s = q[freeIdx[i] * n + freeIdx[j]];
                for (int r = 0; r < k; r++) {
                    s -= q[freeIdx[i] * n + fixedIdx[r]] * a[r * w + k + 1 + j] / a[r * w + r];
                }
                conditionalShape[i * free + j] = s;
            }
        }
        return room;
    }

    /**
     * Coordinate ascent over grid vertices inside the ellipsoid, from the centre, for unit counts whose
     * vertices are too many to list: each coordinate in turn moves to its best grid value that keeps the
     * point inside (membership by the pseudo-inverse form), until nothing improves.
     */
    private double vertexAscent(JointLossGeometry g, double[] grid) {
        int n = g.n;
        int m = g.m;
        int centre = (m - 1) / 2;
        double value = 0.0;
        for (int u = 0; u < n; u++) {
            vertexCode[u] = centre;
            value -= grid[u * m + centre];
        }
        boolean improved = true;
        for (int round = 0; round < 50 && improved; round++) {
            improved = false;
            for (int u = 0; u < n; u++) {
                int bestCode = vertexCode[u];
                double bestValue = value;
                for (int j = 0; j < m; j++) {
                    if (j == vertexCode[u]) {
                        continue;
                    }
                    double candidate = value + grid[u * m + vertexCode[u]] - grid[u * m + j];
                    if (candidate > bestValue + 1e-12 * Math.abs(bestValue)) {
                        int keep = vertexCode[u];
                        vertexCode[u] = j;
                        boolean inside = g.contains(vertexCode);
                        vertexCode[u] = keep;
                        if (inside) {
                            bestValue = candidate;
                            bestCode = j;
                        }
                    }
                }
                if (bestCode != vertexCode[u]) {
                    vertexCode[u] = bestCode;
                    value = bestValue;
                    improved = true;
                }
            }
        }
        return value;
    }

    private void insertTop(int k, double v) {
        if (v <= topValue[REFINED_STARTS - 1]) {
            return;
        }
        int p = REFINED_STARTS - 1;
        while (p > 0 && topValue[p - 1] < v) {
            topValue[p] = topValue[p - 1];
            top[p] = top[p - 1];
            p--;
        }
        topValue[p] = v;
        top[p] = k;
    }

    private double patternSearch(JointLossGeometry g, double[] grid, int start, double startValue) {
        int n = g.n;
        System.arraycopy(g.surfaceDirections, start * n, wBest, 0, n);
        double bestValue = startValue;
        double step = 0.5 * g.spacing;
        int evaluations = 0;
        while (step > MIN_STEP && evaluations < MAX_EVALUATIONS) {
            boolean improved = false;
            for (int d = 0; d < n && !improved; d++) {
                for (int sign = -1; sign <= 1 && !improved; sign += 2) {
                    double norm = 0.0;
                    for (int u = 0; u < n; u++) {
                        double w = wBest[u] + (u == d ? sign * step : 0.0);
                        wTry[u] = w;
                        norm += w * w;
                    }
                    double inv = 1.0 / Math.sqrt(norm);
                    for (int u = 0; u < n; u++) {
                        wTry[u] *= inv;
                    }
                    double v = lossAtDirection(g, grid, wTry);
                    evaluations++;
                    if (v > bestValue) {
                        bestValue = v;
                        System.arraycopy(wTry, 0, wBest, 0, n);
                        improved = true;
                    }
                }
            }
            if (!improved) {
                step *= 0.5;
            }
        }
        return bestValue;
    }

    private double lossAtDirection(JointLossGeometry g, double[] grid, double[] w) {
        int n = g.n;
        int m = g.m;
        double[] root = g.sqrtQ;
        double s = 0.0;
        for (int u = 0; u < n; u++) {
            double zu = 0.0;
            for (int c = 0; c < n; c++) {
                zu += root[u * n + c] * w[c];
            }
            s += interpolate(grid, u * m, m, zu);
        }
        return -s;
    }

    /** P at standardised move z in [-1, 1], linear between the m grid points starting at {@code off}. */
    static double interpolate(double[] grid, int off, int m, double z) {
        double t = (z + 1.0) * 0.5 * (m - 1);
        int i = (int) t;
        if (i < 0) {
            i = 0;
        } else if (i > m - 2) {
            i = m - 2;
        }
        double f = t - i;
        return grid[off + i] + f * (grid[off + i + 1] - grid[off + i]);
    }
}
