package io.upm.margin;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.RealMatrix;

/**
 * The joint loss J(Q) of MODEL.md section 5: the largest loss -sum_u P_u(z_u) over the joint standardised
 * moves z in the ellipsoid E = {Q^{1/2} w : |w| &lt;= 1}, where P_u is a unit's worst P&amp;L over the vol
 * states, linear between the risk matrix's price points. (For a correlation matrix E lies inside the box
 * |z_u| &lt;= 1.)
 *
 * <p>Method. The objective f(z) = -sum_u P_u(z_u) is separable and linear on each cell of the price grid,
 * so its maximum over (cell intersected with E) lies at an extreme point of that set: a grid vertex inside
 * E; or a point of the surface of E inside the cell where the cell's linear piece c.z is stationary,
 * z* = Q c / sqrt(c'Qc); or, on a cell face z_u = k, the stationary point of the face's ellipse; or an
 * "edge point" where all but one coordinate sit on grid values and the last is at the end of its
 * feasible interval. The solver evaluates, per solve:
 * <ol>
 *   <li>every grid vertex inside E and every edge point (for 2 and 3 units), precomputed per Q: exact;</li>
 *   <li>a fixed set of surface directions, then from the best three a cell-stationary polish: jump to the
 *       stationary point of the current cell's linear piece until it lies in its own cell (the cell's exact
 *       maximum), and when it oscillates between two neighbouring cells of one coordinate, the same on the
 *       face between them;</li>
 *   <li>a pattern search on the sphere where neither converges (more than 3 units, singular corners).</li>
 * </ol>
 * Every point evaluated is feasible, so the result never exceeds the true J; tests compare it with a dense
 * brute force (MODEL.md asks for 1%).
 *
 * <p>A {@link Geometry} depends only on Q and is shared (immutable); a solver holds scratch buffers and
 * is single-threaded, allocation-free per solve.
 */
public final class JointLossSolver {
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
    /** Largest number of units. */
    static final int MAX_UNITS = 16;

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

    /** A solver with scratch for up to 16 units. */
    public JointLossSolver() {
    }

    /**
     * The joint loss.
     *
     * @param g    the geometry of Q over the n units
     * @param grid P_u at the grid points: {@code grid[u * m + j]}, m = 2 x steps + 1
     * @return J(Q) in USD (negative when every joint move is a gain)
     */
    public double solve(Geometry g, double[] grid) {
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
    public double solve(Geometry g, double[] grid, double atLeast) {
        int n = g.n;
        int m = g.m;
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

    /** Leaves a branch and bound may visit before it returns the best value found (a lower bound). */
    static final int MAX_LEAVES = 2_000_000;

    private int leaves;
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
    private double faceBranchAndBound(Geometry g, double[] grid, double best) {
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
        }
        leaves = 0;
        bbGrid = grid;
        return dfs(g, 0, 0, 0.0, best);
    }

    private double dfs(Geometry g, int u, int mask, double partial, double best) {
        int n = g.n;
        int m = g.m;
        if (u == n) {
            leaves++;
            return Math.max(best, faceMaximum(g, mask));
        }
        double rest = remaining[u + 1];
        for (int j = 0; j < m && leaves < MAX_LEAVES; j++) {
            double v = -bbGrid[u * m + j];
            if (partial + v + rest > best) {
                choice[u] = j;
                best = dfs(g, u + 1, mask | (1 << u), partial + v, best);
            }
        }
        for (int i = 0; i < m - 1 && leaves < MAX_LEAVES; i++) {
            double v = segmentMax[u * m + i];
            if (partial + v + rest > best) {
                choice[u] = i;
                best = dfs(g, u + 1, mask, partial + v, best);
            }
        }
        return best;
    }

    /** The closed-form maximum on the face given by {@code mask} (fixed units) and {@link #choice}. */
    private double faceMaximum(Geometry g, int mask) {
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
    private double exactSurfaceMaximum(Geometry g, double[] grid, double vertexBest) {
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
        double othersMax = 0.0;
        for (int u = 1; u < n; u++) {
            othersMax += unitMax[u];
        }
        double[] q = g.q;
        byte[] cells = g.surfaceCells;
        for (int k = 0, off = 0; k < g.surfaceCellCount; k++, off += n) {
            if (segmentMax[cells[off]] + othersMax <= best) {
                int next = g.cellSlabEnd[k]; // sorted by the first coordinate's cell: skip the whole slab
                off += n * (next - 1 - k);
                k = next - 1;
                continue;
            }
            double bound = 0.0;
            for (int u = 0; u < n; u++) {
                bound += segmentMax[u * m + cells[off + u]];
            }
            if (bound <= best) {
                continue;
            }
            for (int u = 0; u < n; u++) {
                gradient[u] = -slopes[u * m + cells[off + u]] * half;
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
                continue; // flat on the ellipsoid: its value is reached on the cell's edge points
            }
            double inv = 1.0 / Math.sqrt(quad);
            double value = 0.0;
            boolean inCell = true;
            for (int u = 0; u < n && inCell; u++) {
                double zu = product[u] * inv;
                double t = (zu + 1.0) * half - cells[off + u];
                inCell = t >= -1e-12 && t <= 1.0 + 1e-12;
                value -= grid[u * m + cells[off + u]] + t * slopes[u * m + cells[off + u]];
            }
            if (inCell) {
                best = Math.max(best, value);
            }
        }
        if (n == 3) {
            best = faceMaximum(g, grid, best, half);
        }
        return best;
    }

    /** The face part of {@link #exactSurfaceMaximum} for 3 units: coordinate u fixed on grid point k. */
    private double faceMaximum(Geometry g, double[] grid, double bestSoFar, double half) {
        int m = g.m;
        double best = bestSoFar;
        double[] q = g.q;
        byte[] faces = g.faceCells; // (u, k, cell of the first free coordinate, cell of the second), grouped by (u, k)
        for (int f = 0, off = 0; f < g.faceCellCount; f++, off += 4) {
            int u = faces[off];
            int k = faces[off + 1];
            int a = u == 0 ? 1 : 0;
            int b = u == 2 ? 1 : 2;
            boolean concaveKink = k > 0 && k < m - 1 && slopes[u * m + k] > slopes[u * m + k - 1];
            if (!concaveKink || -grid[u * m + k] + unitMax[a] + unitMax[b] <= best) {
                // a maximum on the face z_u = k needs -P_u to bend down there (P_u convex); elsewhere it is a
                // stationary point of a neighbouring cell, closed cells included. The box faces k = 0, m - 1
                // touch the ellipsoid in one point each, evaluated with the edge points.
                int next = g.faceGroupEnd[f]; // the whole face cannot beat the best value: jump past it
                off += 4 * (next - 1 - f);
                f = next - 1;
                continue;
            }
            int ia = faces[off + 2];
            int ib = faces[off + 3];
            double fixed = -grid[u * m + k];
            double bound = fixed + segmentMax[a * m + ia] + segmentMax[b * m + ib];
            if (bound <= best) {
                continue;
            }
            double zk = k / half - 1.0;
            double ca = -slopes[a * m + ia] * half;
            double cb = -slopes[b * m + ib] * half;
            double[] sc = g.schur[u];
            double pa = sc[a * 3 + a] * ca + sc[a * 3 + b] * cb;
            double pb = sc[b * 3 + a] * ca + sc[b * 3 + b] * cb;
            double quad = ca * pa + cb * pb;
            double room = 1.0 - zk * zk;
            if (!(quad > FLAT * (ca * ca + cb * cb)) || !(quad > 1e-300) || room <= 0) {
                continue;
            }
            double scale = Math.sqrt(room / quad);
            double za = q[a * 3 + u] * zk + pa * scale;
            double zb = q[b * 3 + u] * zk + pb * scale;
            double ta = (za + 1.0) * half - ia;
            double tb = (zb + 1.0) * half - ib;
            if (ta >= -1e-12 && ta <= 1.0 + 1e-12 && tb >= -1e-12 && tb <= 1.0 + 1e-12) {
                double value = fixed - grid[a * m + ia] - ta * slopes[a * m + ia] - grid[b * m + ib] - tb * slopes[b * m + ib];
                best = Math.max(best, value);
            }
        }
        return best;
    }

    /**
     * Active-set polish (4 units and more) from surface point {@code start}: jump to the stationary point
     * z* = mu + S c / sqrt(c'S c) sqrt(room) of the current cell's linear piece on the slice of the ellipsoid
     * where the fixed coordinates sit on grid values (mu = Q_fF Q_FF^-1 z_F, S = the Schur complement,
     * room = 1 - z_F' Q_FF^-1 z_F); when z* lies in the cell it came from the piece's maximum is found
     * ({@link #settled}); when one coordinate bounces between two neighbouring cells it is fixed on the grid
     * value between them. Every point visited is feasible, so the value is a lower bound of J.
     */
    private double activeSetPolish(Geometry g, double[] grid, int start) {
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
    private double conditional(Geometry g, int free) {
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
    private double vertexAscent(Geometry g, double[] grid) {
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

    private double patternSearch(Geometry g, double[] grid, int start, double startValue) {
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

    private double lossAtDirection(Geometry g, double[] grid, double[] w) {
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

    /**
     * The geometry of one correlation matrix Q over n units: Q, Q^{1/2}, the Schur complements of each
     * coordinate, the surface points (directions and edge points) with their grid cells and fractions,
     * and the grid vertices inside the ellipsoid. Immutable, shared across threads.
     */
    public static final class Geometry {
        final int[] assets;
        final int n;
        final int m;
        final double[] q;
        final double[] sqrtQ;
        final double[] pinvQ;
        final double[] rangeProjector;
        final double[][] schur;
        final double[][] facePseudoInverses;
        final double[][] faceProjectors;
        final int[][] faceFixed;
        final double[] surfacePoints;
        final double[] surfaceDirections;
        final int surfaceCount;
        final int directionCount;
        final int[] surfaceIndex;
        final double[] surfaceFraction;
        final byte[] vertexIndex;
        final int vertexCount;
        final double spacing;
        final boolean exact;
        final byte[] surfaceCells;
        final int surfaceCellCount;
        final byte[] faceCells;
        final int faceCellCount;
        final int[] faceGroupEnd;
        final int[] cellSlabEnd;

        /** The same geometry (shared arrays) for another asset list with the same correlation matrix. */
        private Geometry(Geometry base, int[] assets) {
            this.assets = assets;
            this.n = base.n;
            this.m = base.m;
            this.q = base.q;
            this.sqrtQ = base.sqrtQ;
            this.pinvQ = base.pinvQ;
            this.rangeProjector = base.rangeProjector;
            this.schur = base.schur;
            this.facePseudoInverses = base.facePseudoInverses;
            this.faceProjectors = base.faceProjectors;
            this.faceFixed = base.faceFixed;
            this.surfacePoints = base.surfacePoints;
            this.surfaceDirections = base.surfaceDirections;
            this.surfaceCount = base.surfaceCount;
            this.directionCount = base.directionCount;
            this.surfaceIndex = base.surfaceIndex;
            this.surfaceFraction = base.surfaceFraction;
            this.vertexIndex = base.vertexIndex;
            this.vertexCount = base.vertexCount;
            this.spacing = base.spacing;
            this.exact = base.exact;
            this.surfaceCells = base.surfaceCells;
            this.surfaceCellCount = base.surfaceCellCount;
            this.faceCells = base.faceCells;
            this.faceCellCount = base.faceCellCount;
            this.faceGroupEnd = base.faceGroupEnd;
            this.cellSlabEnd = base.cellSlabEnd;
        }

        private Geometry(int[] assets, int n, int m, double[] q, double[] sqrtQ, double[] pinvQ, double[] rangeProjector,
                         double[][] schur, double[] points,
                         double[] directions, int directionCount, int surfaceCount, byte[] vertexIndex,
                         int vertexCount, double spacing) {
            this.assets = assets;
            this.n = n;
            this.m = m;
            this.q = q;
            this.sqrtQ = sqrtQ;
            this.pinvQ = pinvQ;
            this.rangeProjector = rangeProjector;
            this.schur = schur;
            if (n >= 4 && n <= 8) {
                int masks = 1 << n;
                facePseudoInverses = new double[masks][];
                faceProjectors = new double[masks][];
                faceFixed = new int[masks][];
                for (int mask = 0; mask < masks; mask++) {
                    faceSetUp(mask, n, sqrtQ);
                }
            } else {
                facePseudoInverses = null;
                faceProjectors = null;
                faceFixed = null;
            }
            this.surfacePoints = points;
            this.surfaceDirections = directions;
            this.surfaceCount = surfaceCount;
            this.directionCount = directionCount;
            this.surfaceIndex = new int[surfaceCount * n];
            this.surfaceFraction = new double[surfaceCount * n];
            for (int k = 0; k < surfaceCount * n; k++) {
                double t = (points[k] + 1.0) * 0.5 * (m - 1);
                int i = Math.min(Math.max((int) t, 0), m - 2);
                surfaceIndex[k] = i;
                surfaceFraction[k] = t - i;
            }
            this.vertexIndex = vertexIndex;
            this.vertexCount = vertexCount;
            this.spacing = spacing;
            this.exact = n == 2 || n == 3;
            if (exact) {
                this.surfaceCells = crossedCells(n, m, sqrtQ, vertexIndex, vertexCount);
                this.faceCells = n == 3 ? crossedFaceCells(m, q, schur) : new byte[0];
            } else {
                this.surfaceCells = new byte[0];
                this.faceCells = new byte[0];
            }
            this.surfaceCellCount = surfaceCells.length / n;
            this.faceCellCount = faceCells.length / 4;
            // for each face entry, the index of the first entry of the next (u, k) face; likewise for cell slabs
            this.faceGroupEnd = new int[faceCellCount];
            for (int f = faceCellCount - 1; f >= 0; f--) {
                boolean last = f == faceCellCount - 1 || faceCells[4 * f] != faceCells[4 * f + 4]
                    || faceCells[4 * f + 1] != faceCells[4 * f + 5];
                faceGroupEnd[f] = last ? f + 1 : faceGroupEnd[f + 1];
            }
            this.cellSlabEnd = new int[surfaceCellCount];
            for (int c = surfaceCellCount - 1; c >= 0; c--) {
                boolean last = c == surfaceCellCount - 1 || surfaceCells[n * c] != surfaceCells[n * c + n];
                cellSlabEnd[c] = last ? c + 1 : cellSlabEnd[c + 1];
            }
        }

        /**
         * Grid cells the surface of the ellipsoid crosses: cells with grid vertices both inside and outside, and
         * cells containing any of a dense set of surface points (for a surface that clips a cell through a
         * face without containing a vertex). A superset is harmless: the stationary point is kept only when
         * it lies in its cell.
         */
        private static byte[] crossedCells(int n, int m, double[] root, byte[] vertexIndex, int vertexCount) {
            int cellsPerAxis = m - 1;
            int total = 1;
            int vertices = 1;
            for (int u = 0; u < n; u++) {
                total *= cellsPerAxis;
                vertices *= m;
            }
            boolean[] inside = new boolean[vertices];
            for (int k = 0; k < vertexCount; k++) {
                int code = 0;
                for (int u = n - 1; u >= 0; u--) {
                    code = code * m + vertexIndex[k * n + u];
                }
                inside[code] = true;
            }
            boolean[] crossed = new boolean[total];
            int corners = 1 << n;
            for (int c = 0; c < total; c++) {
                int in = 0;
                for (int corner = 0; corner < corners; corner++) {
                    int code = 0;
                    int rest = c;
                    int[] cellIdx = new int[n];
                    for (int u = 0; u < n; u++) {
                        cellIdx[u] = rest % cellsPerAxis;
                        rest /= cellsPerAxis;
                    }
                    for (int u = n - 1; u >= 0; u--) {
                        code = code * m + cellIdx[u] + ((corner >> u) & 1);
                    }
                    in += inside[code] ? 1 : 0;
                }
                crossed[c] = in > 0 && in < corners;
            }
            int samples = n == 2 ? 8192 : 60000;
            double[] w = directions(n, samples);
            double half = 0.5 * (m - 1);
            for (int k = 0; k < samples; k++) {
                int c = 0;
                for (int u = n - 1; u >= 0; u--) {
                    double zu = 0;
                    for (int x = 0; x < n; x++) {
                        zu += root[u * n + x] * w[k * n + x];
                    }
                    int i = Math.min(Math.max((int) ((zu + 1.0) * half), 0), m - 2);
                    c = c * cellsPerAxis + i;
                }
                crossed[c] = true;
            }
            byte[] out = new byte[total * n];
            int count = 0;
            for (int first = 0; first < cellsPerAxis; first++) { // grouped by the first coordinate's cell
                for (int c = 0; c < total; c++) {
                    if (crossed[c] && c % cellsPerAxis == first) {
                        int rest = c;
                        for (int u = 0; u < n; u++) {
                            out[count * n + u] = (byte) (rest % cellsPerAxis);
                            rest /= cellsPerAxis;
                        }
                        count++;
                    }
                }
            }
            return Arrays.copyOf(out, count * n);
        }

        /**
         * For 3 units, the face cells (u, k, cell of a, cell of b) that the surface crosses on the plane
         * z_u = grid point k, found by dense sampling of each face's ellipse (z_f = Q_fu z_k +
         * sqrt(1 - z_k^2) S^{1/2} (cos t, sin t), S the Schur complement). An arc shorter than the sampling step
         * can be missed; its stationary point then lies within that step of the arc's edge points, which are
         * evaluated exactly.
         */
        private static byte[] crossedFaceCells(int m, double[] q, double[][] schur) {
            int cellsPerAxis = m - 1;
            double half = 0.5 * (m - 1);
            byte[] out = new byte[64];
            int count = 0;
            int samples = 4096;
            for (int u = 0; u < 3; u++) {
                int a = u == 0 ? 1 : 0;
                int b = u == 2 ? 1 : 2;
                double[] s = schur[u];
                // square root of the 2 x 2 block [[saa, sab], [sab, sbb]]
                double saa = s[a * 3 + a];
                double sab = s[a * 3 + b];
                double sbb = s[b * 3 + b];
                double tr = saa + sbb;
                double det = Math.max(0.0, saa * sbb - sab * sab);
                double sqrtDet = Math.sqrt(det);
                double t = Math.sqrt(Math.max(0.0, tr + 2 * sqrtDet));
                double ra = t > 0 ? (saa + sqrtDet) / t : 0;
                double rb = t > 0 ? sab / t : 0;
                double rc = t > 0 ? (sbb + sqrtDet) / t : 0;
                double[] circle = directions(2, samples);
                for (int k = 0; k < m; k++) {
                    double zk = k / half - 1.0;
                    double room = Math.sqrt(Math.max(0.0, 1.0 - zk * zk));
                    boolean[] mark = new boolean[cellsPerAxis * cellsPerAxis];
                    for (int j = 0; j < samples; j++) {
                        double x = circle[2 * j];
                        double y = circle[2 * j + 1];
                        double za = q[a * 3 + u] * zk + room * (ra * x + rb * y);
                        double zb = q[b * 3 + u] * zk + room * (rb * x + rc * y);
                        int ia = Math.min(Math.max((int) ((za + 1.0) * half), 0), m - 2);
                        int ib = Math.min(Math.max((int) ((zb + 1.0) * half), 0), m - 2);
                        mark[ia * cellsPerAxis + ib] = true;
                    }
                    for (int c = 0; c < mark.length; c++) {
                        if (mark[c]) {
                            if (count * 4 + 4 > out.length) {
                                out = Arrays.copyOf(out, out.length * 2);
                            }
                            out[count * 4] = (byte) u;
                            out[count * 4 + 1] = (byte) k;
                            out[count * 4 + 2] = (byte) (c / cellsPerAxis);
                            out[count * 4 + 3] = (byte) (c % cellsPerAxis);
                            count++;
                        }
                    }
                }
            }
            return Arrays.copyOf(out, count * 4);
        }

        /** Pseudo-inverse of the fixed rows of A = Q^{1/2} and the projector on their null space, for one face mask. */
        private void faceSetUp(int mask, int n, double[] root) {
            int k = Integer.bitCount(mask);
            int[] fixedList = new int[k];
            for (int u = 0, i = 0; u < n; u++) {
                if ((mask & (1 << u)) != 0) {
                    fixedList[i++] = u;
                }
            }
            faceFixed[mask] = fixedList;
            double[] pinv = new double[n * k];
            double[] proj = new double[n * n];
            for (int r = 0; r < n; r++) {
                proj[r * n + r] = 1.0;
            }
            if (k > 0) {
                double[][] rows = new double[k][n];
                for (int i = 0; i < k; i++) {
                    for (int c = 0; c < n; c++) {
                        rows[i][c] = root[fixedList[i] * n + c];
                    }
                }
                // Moore-Penrose pseudo-inverse A_F^+ = A_F^T (A_F A_F^T)^+, with A_F A_F^T = Q_FF symmetric
                double[][] gram = new double[k][k];
                for (int i = 0; i < k; i++) {
                    for (int j = 0; j < k; j++) {
                        double s = 0.0;
                        for (int c = 0; c < n; c++) {
                            s += rows[i][c] * rows[j][c];
                        }
                        gram[i][j] = s;
                    }
                }
                EigenDecomposition ge = new EigenDecomposition(new Array2DRowRealMatrix(gram, false));
                double[] gl = ge.getRealEigenvalues();
                RealMatrix gv = ge.getV();
                double gmax = 0.0;
                for (double l : gl) {
                    gmax = Math.max(gmax, l);
                }
                double[][] gramPinv = new double[k][k];
                for (int i = 0; i < k; i++) {
                    for (int j = 0; j < k; j++) {
                        double s = 0.0;
                        for (int e = 0; e < k; e++) {
                            if (gl[e] > 1e-10 * Math.max(gmax, 1.0)) {
                                s += gv.getEntry(i, e) * gv.getEntry(j, e) / gl[e];
                            }
                        }
                        gramPinv[i][j] = s;
                    }
                }
                for (int r = 0; r < n; r++) {
                    for (int i = 0; i < k; i++) {
                        double s = 0.0;
                        for (int j = 0; j < k; j++) {
                            s += rows[j][r] * gramPinv[j][i];
                        }
                        pinv[r * k + i] = s;
                    }
                }
                for (int r = 0; r < n; r++) {
                    for (int c = 0; c < n; c++) {
                        double s = 0.0;
                        for (int i = 0; i < k; i++) {
                            s += pinv[r * k + i] * rows[i][c];
                        }
                        proj[r * n + c] -= s;
                    }
                }
            }
            facePseudoInverses[mask] = pinv;
            faceProjectors[mask] = proj;
        }

        /** True when the grid vertex with these codes (0 .. m-1 per unit) lies inside the ellipsoid. */
        boolean contains(int[] codes) {
            double steps = 0.5 * (m - 1);
            double quad = 0.0;
            for (int r = 0; r < n; r++) {
                double y = 0.0;
                for (int c = 0; c < n; c++) {
                    y += pinvQ[r * n + c] * (codes[c] / steps - 1.0);
                }
                quad += (codes[r] / steps - 1.0) * y;
            }
            if (quad > 1.0 + 1e-12) {
                return false;
            }
            // in the range of Q: Q Q^+ z = z
            for (int r = 0; r < n; r++) {
                double proj = 0.0;
                for (int c = 0; c < n; c++) {
                    proj += rangeProjector[r * n + c] * (codes[c] / steps - 1.0);
                }
                if (Math.abs(proj - (codes[r] / steps - 1.0)) > 1e-9) {
                    return false;
                }
            }
            return true;
        }

        /** True when this geometry was built for exactly these assets. */
        boolean isFor(int[] assetIdx, int count) {
            if (count != n) {
                return false;
            }
            for (int u = 0; u < n; u++) {
                if (assets[u] != assetIdx[u]) {
                    return false;
                }
            }
            return true;
        }

        /** The number of units. */
        public int units() {
            return n;
        }

        /** Number of precomputed grid vertices inside the ellipsoid. */
        public int vertexCount() {
            return vertexCount;
        }

        /** Number of precomputed surface points (directions and edge points). */
        public int surfacePointCount() {
            return surfaceCount;
        }

        /** Default number of surface directions for n units (edge points come on top for 2 and 3 units). */
        static int defaultDirections(int n) {
            return switch (n) {
                case 1 -> 2;
                case 2 -> 32;
                case 3 -> 128;
                case 4 -> 500;
                default -> n <= 8 ? 1000 : 40000;
            };
        }

        /**
         * Builds the geometry.
         *
         * @param assets     the asset indices (for cache checks)
         * @param q          the correlation matrix (unit diagonal), positive semi-definite
         * @param steps      price steps on each side (grid of 2 steps + 1 points)
         * @param directions surface directions; 0 for the default by dimension
         */
        public static Geometry of(int[] assets, double[][] q, int steps, int directions) {
            String key = steps + "|" + directions + "|" + Arrays.deepToString(q);
            Geometry shared = SHARED.get(key);
            if (shared == null) {
                shared = build(q, steps, directions);
                if (SHARED.size() >= SHARED_CAPACITY) {
                    SHARED.clear(); // a bounded cache: snapshots with ever-new correlations start over
                }
                SHARED.putIfAbsent(key, shared);
            }
            return new Geometry(shared, assets.clone());
        }

        /** Geometries by correlation matrix content, shared by every snapshot and thread in the process. */
        private static final java.util.concurrent.ConcurrentHashMap<String, Geometry> SHARED =
            new java.util.concurrent.ConcurrentHashMap<>();
        /** Entries kept in {@link #SHARED} before it is cleared. */
        static final int SHARED_CAPACITY = 4096;

        private static Geometry build(double[][] q, int steps, int directions) {
            int[] assets = new int[0];
            int n = q.length;
            if (n > MAX_UNITS) {
                throw new IllegalArgumentException("at most " + MAX_UNITS + " risk units per account are supported, got " + n);
            }
            int m = 2 * steps + 1;
            EigenDecomposition eig = new EigenDecomposition(new Array2DRowRealMatrix(q, true));
            double[] lambda = eig.getRealEigenvalues();
            RealMatrix v = eig.getV();
            double maxLambda = 0;
            for (double l : lambda) {
                maxLambda = Math.max(maxLambda, l);
            }
            double eps = 1e-12 * Math.max(maxLambda, 1.0);
            double[] root = new double[n * n];
            double[] pinvRoot = new double[n * n];
            double[] flatQ = new double[n * n];
            double[] pinvQ = new double[n * n];
            double[] projector = new double[n * n];
            for (int r = 0; r < n; r++) {
                for (int c = 0; c < n; c++) {
                    double s = 0;
                    double p = 0;
                    double pq = 0;
                    double pr = 0;
                    for (int k = 0; k < n; k++) {
                        if (lambda[k] > eps) {
                            pq += v.getEntry(r, k) / lambda[k] * v.getEntry(c, k);
                            pr += v.getEntry(r, k) * v.getEntry(c, k);
                        }
                    }
                    pinvQ[r * n + c] = pq;
                    projector[r * n + c] = pr;
                    for (int k = 0; k < n; k++) {
                        boolean positive = lambda[k] > eps;
                        double l = positive ? Math.sqrt(lambda[k]) : 0.0;
                        s += v.getEntry(r, k) * l * v.getEntry(c, k);
                        p += positive ? v.getEntry(r, k) / l * v.getEntry(c, k) : 0.0;
                    }
                    root[r * n + c] = s;
                    pinvRoot[r * n + c] = p;
                    flatQ[r * n + c] = q[r][c];
                }
            }
            double[][] schur = new double[n][n * n];
            for (int u = 0; u < n; u++) {
                for (int r = 0; r < n; r++) {
                    for (int c = 0; c < n; c++) {
                        schur[u][r * n + c] = r == u || c == u ? 0.0 : q[r][c] - q[r][u] * q[u][c];
                    }
                }
            }
            int count = directions > 0 ? directions : defaultDirections(n);
            double[] w = directions(n, count);
            double[] pointBuf = new double[count * n];
            for (int k = 0; k < count; k++) {
                for (int u = 0; u < n; u++) {
                    double zu = 0;
                    for (int c = 0; c < n; c++) {
                        zu += root[u * n + c] * w[k * n + c];
                    }
                    pointBuf[k * n + u] = zu;
                }
            }
            double[] edges = n == 2 || n == 3 ? edgePoints(q, steps) : new double[0];
            int edgeCount = edges.length / n;
            double[] points = Arrays.copyOf(pointBuf, (count + edgeCount) * n);
            double[] dirs = Arrays.copyOf(w, (count + edgeCount) * n);
            System.arraycopy(edges, 0, points, count * n, edges.length);
            for (int k = count; k < count + edgeCount; k++) {
                // the direction of an edge point, for the pattern search: w = (Q^{1/2})^+ z, normalised
                double norm = 0;
                for (int r = 0; r < n; r++) {
                    double s = 0;
                    for (int c = 0; c < n; c++) {
                        s += pinvRoot[r * n + c] * points[k * n + c];
                    }
                    dirs[k * n + r] = s;
                    norm += s * s;
                }
                norm = Math.sqrt(norm);
                for (int r = 0; r < n; r++) {
                    dirs[k * n + r] = norm > 0 ? dirs[k * n + r] / norm : (r == 0 ? 1 : 0);
                }
            }
            byte[] vertices = insideVertices(n, m, steps, lambda, v, eps);
            double spacing = n == 2 ? 2 * Math.PI / count : Math.sqrt(4 * Math.PI / count) * (n > 3 ? 2 : 1);
            return new Geometry(assets, n, m, flatQ, root, pinvQ, projector, schur, points, dirs, count, count + edgeCount, vertices,
                vertices.length / n, spacing);
        }

        /** Grid vertices z = (j - steps)/steps inside the ellipsoid (empty when there are too many to list). */
        private static byte[] insideVertices(int n, int m, int steps, double[] lambda, RealMatrix v, double eps) {
            long total = 1;
            for (int u = 0; u < n; u++) {
                total *= m;
            }
            if (total > 2_000_000L) {
                return new byte[0];
            }
            byte[] buf = new byte[64 * n];
            int count = 0;
            int[] code = new int[n];
            double[] zz = new double[n];
            for (long c = 0; c < total; c++) {
                long rest = c;
                for (int u = 0; u < n; u++) {
                    code[u] = (int) (rest % m);
                    rest /= m;
                    zz[u] = (code[u] - steps) / (double) steps;
                }
                double quad = 0;
                boolean inside = true;
                for (int k = 0; k < n && inside; k++) {
                    double y = 0;
                    for (int u = 0; u < n; u++) {
                        y += v.getEntry(u, k) * zz[u];
                    }
                    if (lambda[k] > eps) {
                        quad += y * y / lambda[k];
                    } else if (Math.abs(y) > 1e-9) {
                        inside = false;
                    }
                }
                if (inside && quad <= 1.0 + 1e-12) {
                    if ((count + 1) * n > buf.length) {
                        buf = Arrays.copyOf(buf, buf.length * 2);
                    }
                    for (int u = 0; u < n; u++) {
                        buf[count * n + u] = (byte) code[u];
                    }
                    count++;
                }
            }
            return Arrays.copyOf(buf, count * n);
        }

        /**
         * Edge points: all but one coordinate on grid values, the last at either end of its feasible interval
         * on the ellipsoid (2 and 3 units; pairs with a singular 2 x 2 block are skipped, the pattern search
         * covers them).
         */
        static double[] edgePoints(double[][] q, int steps) {
            int n = q.length;
            int m = 2 * steps + 1;
            double[] out = new double[64 * n];
            int count = 0;
            for (int free = 0; free < n; free++) {
                int[] fixed = new int[n - 1];
                for (int u = 0, k = 0; u < n; u++) {
                    if (u != free) {
                        fixed[k++] = u;
                    }
                }
                int combos = 1;
                for (int k = 0; k < n - 1; k++) {
                    combos *= m;
                }
                for (int c = 0; c < combos; c++) {
                    double[] zf = new double[n - 1];
                    int rest = c;
                    for (int k = 0; k < n - 1; k++) {
                        zf[k] = (rest % m - steps) / (double) steps;
                        rest /= m;
                    }
                    double mean;
                    double variance;
                    if (n == 2) {
                        double r = q[free][fixed[0]];
                        mean = r * zf[0];
                        variance = (1 - r * r) * (1 - zf[0] * zf[0]);
                    } else {
                        double a = q[fixed[0]][fixed[0]];
                        double b = q[fixed[0]][fixed[1]];
                        double d = q[fixed[1]][fixed[1]];
                        double det = a * d - b * b;
                        if (det < 1e-9) {
                            continue;
                        }
                        // x = Q_FF^{-1} z_F
                        double x0 = (d * zf[0] - b * zf[1]) / det;
                        double x1 = (-b * zf[0] + a * zf[1]) / det;
                        double form = zf[0] * x0 + zf[1] * x1;
                        if (form > 1.0) {
                            continue;
                        }
                        double c0 = q[free][fixed[0]];
                        double c1 = q[free][fixed[1]];
                        mean = c0 * x0 + c1 * x1;
                        double condVar = q[free][free] - (c0 * (d * c0 - b * c1) + c1 * (-b * c0 + a * c1)) / det;
                        variance = Math.max(0.0, condVar) * (1.0 - form);
                    }
                    if (variance < 0) {
                        continue;
                    }
                    double half = Math.sqrt(variance);
                    for (int sign = -1; sign <= 1; sign += 2) {
                        if ((count + 1) * n > out.length) {
                            out = Arrays.copyOf(out, out.length * 2);
                        }
                        for (int k = 0; k < n - 1; k++) {
                            out[count * n + fixed[k]] = zf[k];
                        }
                        out[count * n + free] = Math.max(-1.0, Math.min(1.0, mean + sign * half));
                        count++;
                        if (half == 0) {
                            break;
                        }
                    }
                }
            }
            if (n == 3) {
                // the box faces z_u = +-1 touch the ellipsoid only at +-(column u of Q)
                for (int u = 0; u < n; u++) {
                    for (int sign = -1; sign <= 1; sign += 2) {
                        if ((count + 1) * n > out.length) {
                            out = Arrays.copyOf(out, out.length * 2);
                        }
                        for (int v = 0; v < n; v++) {
                            out[count * n + v] = sign * q[v][u];
                        }
                        count++;
                    }
                }
            }
            return Arrays.copyOf(out, count * n);
        }

        /** Deterministic, roughly uniform unit directions: a circle, a Fibonacci sphere, or seeded Gaussians. */
        static double[] directions(int n, int count) {
            double[] w = new double[count * n];
            if (n == 2) {
                // (cos, sin) of successive angles by exact rotation: fast, deterministic (no platform trig)
                double step = 2 * Math.PI / count;
                double cs = StrictMath.cos(step);
                double sn = StrictMath.sin(step);
                double c = StrictMath.cos(0.5 * step);
                double si = StrictMath.sin(0.5 * step);
                for (int k = 0; k < count; k++) {
                    w[2 * k] = c;
                    w[2 * k + 1] = si;
                    double next = c * cs - si * sn;
                    si = c * sn + si * cs;
                    c = next;
                }
            } else if (n == 3) {
                double golden = Math.PI * (3 - Math.sqrt(5));
                double cs = StrictMath.cos(golden);
                double sn = StrictMath.sin(golden);
                double c = 1.0;
                double si = 0.0;
                for (int k = 0; k < count; k++) {
                    double y = 1 - 2 * (k + 0.5) / count;
                    double r = Math.sqrt(1 - y * y);
                    w[3 * k] = r * c;
                    w[3 * k + 1] = y;
                    w[3 * k + 2] = r * si;
                    double next = c * cs - si * sn;
                    si = c * sn + si * cs;
                    c = next;
                    if ((k & 1023) == 1023) { // renormalise against drift
                        double len = Math.sqrt(c * c + si * si);
                        c /= len;
                        si /= len;
                    }
                }
            } else {
                SplittableRandom rnd = new SplittableRandom(0x5EEDL + n);
                for (int k = 0; k < count; k++) {
                    double norm = 0;
                    for (int u = 0; u < n; u++) {
                        double u1 = rnd.nextDouble();
                        double u2 = rnd.nextDouble();
                        double x = StrictMath.sqrt(-2 * StrictMath.log(1 - u1)) * StrictMath.cos(2 * Math.PI * u2);
                        w[k * n + u] = x;
                        norm += x * x;
                    }
                    norm = Math.sqrt(norm);
                    for (int u = 0; u < n; u++) {
                        w[k * n + u] /= norm;
                    }
                }
            }
            return w;
        }
    }
}
