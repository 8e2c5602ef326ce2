package io.upm.margin.joint;

/**
 * A certified upper bound of the joint loss J(Q) for any number of units (MODEL.md section 5, as amended:
 * "exact, or a certified upper bound").
 *
 * <p>The bound. Write f_u(z) = -P_u(z) for a unit's loss at the standardised move z in [-1, 1] (linear between
 * the m grid points z_j), E = {z : z = Q^{1/2} w, |w| &lt;= 1} the ellipsoid, and take any vector c and any
 * partition of the units into blocks B. For every z in E,
 * <pre>
 *   f(z) = sum_B [ f_B(z_B) - c_B . z_B ] + c . z
 *        &lt;= sum_B max over y in E_B of [ f_B(y) - c_B . y ]  +  sqrt(c' Q c)
 * </pre>
 * because the projection of E on a block's coordinates is the ellipsoid E_B of the principal submatrix Q_BB,
 * and the largest value of c . z over E is sqrt(c' Q c). So for every c and every partition,
 * J(Q) &lt;= U(c, B) = sum_B J_{Q_BB}(f_B - c_B . z) + sqrt(c' Q c). With c = 0 this is MODEL.md's block bound;
 * with blocks of one unit the block terms are h_u(c_u) = max_j (f_u(z_j) - c_u z_j) (a linear function minus a
 * piecewise linear one peaks at a grid point), so U(c) = sum_u h_u(c_u) + sqrt(c'Qc), a convex function of c
 * whose minimum equals the maximum over E of the sum of the units' concave envelopes (Lagrangian duality). It is
 * tight for units whose loss is linear in the move (perpetuals, futures, coin balances, and any hedge of them)
 * and loosest for units whose loss is convex (short straddles), where blocks of two units recover part of the
 * diversification.
 *
 * <p>This class computes the one-unit-block version: it chooses c by exact coordinate descent on U (each step
 * minimises U over one c_u in closed form, walking the pieces of h_u), starting from each unit's chord slope, for
 * a fixed number of sweeps. Whatever c it ends at, U(c) is a valid bound: the optimisation only makes it
 * tighter. The value is rounded up by a relative {@link #ROUNDING_GUARD} so that floating-point rounding can
 * never put it below the true J.
 *
 * <p>Single-threaded (scratch buffers); allocation-free after the first solve of a given size.
 */
public final class JointLossBound {
    /** Relative amount added to every bound so that rounding cannot put it under J (far above double rounding). */
    public static final double ROUNDING_GUARD = 1e-12;
    /** Coordinate-descent sweeps over all units. */
    static final int SWEEPS = 8;

    private double[] c = new double[0];
    private double[] qc = new double[0];
    // per unit, the upper envelope of the lines t -> alpha_j - t z_j: active grid indices and breakpoints
    private int[] lineIndex = new int[0];
    private double[] breakpoint = new double[0];
    private int[] lineCount = new int[0];
    private double[] zGrid = new double[0];
    private double[] shifted = new double[0];
    private double[] cellSlope = new double[0];

    /**
     * The bound U(c) with blocks of one unit, with c chosen as described; the final c stays readable through
     * {@link #multipliers()} (for block bounds at the same c).
     *
     * @param n    units
     * @param m    grid points per unit (2 x steps + 1)
     * @param q    Q, n x n row-major, unit diagonal, positive semi-definite
     * @param grid P_u at the grid points, {@code grid[u * m + j]}
     * @return an upper bound of J(Q), USD
     */
    public double bound(int n, int m, double[] q, double[] grid) {
        ensure(n, m);
        double half = 0.5 * (m - 1);
        for (int j = 0; j < m; j++) {
            zGrid[j] = j / half - 1.0;
        }
        for (int u = 0; u < n; u++) {
            envelope(u, m, grid);
            // start from the chord slope of the loss f_u = -P_u between the range's ends
            c[u] = -(grid[u * m + m - 1] - grid[u * m]) / 2.0;
        }
        for (int r = 0; r < n; r++) {
            double s = 0.0;
            for (int k = 0; k < n; k++) {
                s += q[r * n + k] * c[k];
            }
            qc[r] = s;
        }
        double full = dot(c, qc, n); // c'Qc, kept up to date as c changes
        for (int sweep = 0; sweep < SWEEPS; sweep++) {
            for (int u = 0; u < n; u++) {
                double a = q[u * n + u];
                double cu = c[u];
                double qcu = qc[u];
                double b = qcu - a * cu;                  // sum over v != u of Q_uv c_v
                double r = full - 2.0 * cu * qcu + a * cu * cu; // c_{-u}' Q c_{-u}
                double t = minimiseCoordinate(u, m, grid, a, b, r);
                double delta = t - cu;
                if (delta != 0.0) {
                    c[u] = t;
                    full += delta * (2.0 * qcu + delta * a);
                    for (int k = 0; k < n; k++) {
                        qc[k] += q[k * n + u] * delta;
                    }
                }
            }
        }
        return guard(value(n, m, grid, c, q));
    }

    /**
     * A second family of bounds, for convex losses (short options) where the one above is loose: for any c and any
     * mu &gt;= 0, on E
     * <pre>
     *   f(z) = sum_u [f_u(z_u) - c_u z_u - mu z_u^2] + c . z + mu |z|^2
     *        &lt;= sum_u max over z in [-1, 1] of [f_u(z) - c_u z - mu z^2] + sqrt(c'Qc) + mu Lambda,
     * </pre>
     * with Lambda &gt;= the largest eigenvalue of Q (the largest |z|^2 on E); here the Gershgorin bound, the largest
     * absolute row sum of Q. The first term is exact (on each grid cell a linear function minus mu z^2 peaks at
     * its stationary point or an end). The value is convex in mu and is minimised by golden-section search. Tight
     * for independent units of any shape whose loss is quadratic-like, e.g. n independent short straddles (J = b
     * sqrt(n)).
     *
     * @param mult the multipliers c (e.g. {@link #multipliers()}), or null for c = 0
     * @return the bound with the rounding guard
     */
    public double quadraticBound(int n, int m, double[] q, double[] grid, double[] mult) {
        ensure(n, m);
        double half = 0.5 * (m - 1);
        for (int j = 0; j < m; j++) {
            zGrid[j] = j / half - 1.0;
        }
        double lambda = 0.0;
        double quad = 0.0;
        for (int r = 0; r < n; r++) {
            double rowSum = 0.0;
            double t = 0.0;
            for (int k = 0; k < n; k++) {
                rowSum += Math.abs(q[r * n + k]);
                t += q[r * n + k] * (mult == null ? 0.0 : mult[k]);
            }
            lambda = Math.max(lambda, rowSum);
            quad += (mult == null ? 0.0 : mult[r]) * t;
        }
        double linear = Math.sqrt(Math.max(0.0, quad));
        // per unit the values of f_u(z) - c_u z at the grid points and its slope on each cell: mu only scales z^2
        if (shifted.length < n * m) {
            shifted = new double[n * m];
            cellSlope = new double[n * m];
        }
        for (int u = 0; u < n; u++) {
            double cu = mult == null ? 0.0 : mult[u];
            for (int j = 0; j < m; j++) {
                shifted[u * m + j] = -grid[u * m + j] - cu * zGrid[j];
            }
            for (int j = 0; j < m - 1; j++) {
                cellSlope[u * m + j] = (shifted[u * m + j + 1] - shifted[u * m + j]) / (zGrid[j + 1] - zGrid[j]);
            }
        }
        // bracket mu: for n equal independent units of slope s the optimum is s sqrt(n) / 2; any mu gives a valid
        // bound, so a bracket that misses the optimum only loosens it
        double maxSlope = 0.0;
        for (int u = 0; u < n; u++) {
            double cu = mult == null ? 0.0 : mult[u];
            for (int j = 0; j < m - 1; j++) {
                maxSlope = Math.max(maxSlope, Math.abs((grid[u * m + j] - grid[u * m + j + 1]) * half - cu));
            }
        }
        double lo = 0.0;
        double hi = Math.max(maxSlope * (Math.sqrt(n) + 1), 1e-300);
        double best = quadraticValue(n, m, lo, lambda);
        best = Math.min(best, quadraticValue(n, m, hi, lambda));
        final double phi = 0.6180339887498949;
        double x1 = hi - phi * (hi - lo);
        double x2 = lo + phi * (hi - lo);
        double f1 = quadraticValue(n, m, x1, lambda);
        double f2 = quadraticValue(n, m, x2, lambda);
        for (int it = 0; it < GOLDEN_STEPS; it++) {
            if (f1 <= f2) {
                hi = x2;
                x2 = x1;
                f2 = f1;
                x1 = hi - phi * (hi - lo);
                f1 = quadraticValue(n, m, x1, lambda);
            } else {
                lo = x1;
                x1 = x2;
                f1 = f2;
                x2 = lo + phi * (hi - lo);
                f2 = quadraticValue(n, m, x2, lambda);
            }
        }
        best = Math.min(best, Math.min(f1, f2));
        return guard(best + linear);
    }

    /** Golden-section steps of {@link #quadraticBound} (each narrows the bracket by 0.618). */
    static final int GOLDEN_STEPS = 12;

    /** sum_u max_z [f_u(z) - c_u z - mu z^2] + mu Lambda, from {@link #shifted} and {@link #cellSlope}. */
    private double quadraticValue(int n, int m, double mu, double lambda) {
        double total = mu * lambda;
        double inv2mu = mu > 0.0 ? 0.5 / mu : Double.POSITIVE_INFINITY;
        for (int u = 0; u < n; u++) {
            int base = u * m;
            double best = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < m; j++) {
                double z = zGrid[j];
                best = Math.max(best, shifted[base + j] - mu * z * z);
            }
            if (mu > 0.0) {
                for (int j = 0; j < m - 1; j++) {
                    double slope = cellSlope[base + j];
                    double z = slope * inv2mu;
                    if (z > zGrid[j] && z < zGrid[j + 1]) {
                        best = Math.max(best, shifted[base + j] + slope * (z - zGrid[j]) - mu * z * z);
                    }
                }
            }
            total += best;
        }
        return total;
    }

    /** The multipliers c of the last {@link #bound} (scratch: valid until the next call). */
    public double[] multipliers() {
        return c;
    }

    /** Rounds a bound up by {@link #ROUNDING_GUARD}, relative, with a tiny absolute floor. */
    static double guard(double bound) {
        return bound + Math.abs(bound) * ROUNDING_GUARD + 1e-9;
    }

    /** U(c) = sum_u h_u(c_u) + sqrt(c'Qc), without the rounding guard. */
    double value(int n, int m, double[] grid, double[] mult, double[] q) {
        double s = 0.0;
        for (int u = 0; u < n; u++) {
            s += conjugate(u, m, grid, mult[u]);
        }
        double quad = 0.0;
        for (int r = 0; r < n; r++) {
            double t = 0.0;
            for (int k = 0; k < n; k++) {
                t += q[r * n + k] * mult[k];
            }
            quad += mult[r] * t;
        }
        return s + Math.sqrt(Math.max(0.0, quad));
    }

    /** h_u(t) = max_j (-P_u(z_j) - t z_j). */
    private double conjugate(int u, int m, double[] grid, double t) {
        double best = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < m; j++) {
            best = Math.max(best, -grid[u * m + j] - t * zGrid[j]);
        }
        return best;
    }

    /**
     * The upper envelope of the lines t -&gt; alpha_j - t z_j (alpha_j = -P_u(z_j)): as t grows the active line
     * goes from j = m - 1 (slope -1) down to j = 0 (slope +1). Stores the active lines in order of increasing t
     * and the breakpoints between consecutive ones.
     */
    private void envelope(int u, int m, double[] grid) {
        int base = u * m;
        int count = 0;
        for (int j = m - 1; j >= 0; j--) {
            double alpha = -grid[base + j];
            // pop lines that the new one (smaller z, larger slope) makes useless
            while (count > 0) {
                int top = lineIndex[base + count - 1];
                double alphaTop = -grid[base + top];
                // intersection with the top line: alpha_top - t z_top = alpha - t z  =>  t = (alpha - alpha_top) / (z - z_top)
                double x = (alpha - alphaTop) / (zGrid[j] - zGrid[top]);
                if (count > 1 && x <= breakpoint[base + count - 2]) {
                    count--;
                } else {
                    breakpoint[base + count - 1] = x;
                    break;
                }
            }
            lineIndex[base + count] = j;
            count++;
        }
        lineCount[u] = count;
    }

    /**
     * The minimiser over t of h_u(t) + sqrt(a t^2 + 2 b t + r): walks the envelope's pieces in order of t; on the
     * piece of line j the derivative is -z_j + g'(t) with g'(t) = (a t + b) / sqrt(a t^2 + 2 b t + r) increasing,
     * so the minimum is at the stationary point g'(t) = z_j where it lies in the piece, else at a breakpoint.
     */
    private double minimiseCoordinate(int u, int m, double[] grid, double a, double b, double r) {
        int base = u * m;
        int count = lineCount[u];
        double d = Math.max(0.0, a * r - b * b);
        double lo = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < count; k++) {
            double z = zGrid[lineIndex[base + k]];
            double hi = k < count - 1 ? breakpoint[base + k] : Double.POSITIVE_INFINITY;
            double t = inverseSlope(z, a, b, d);
            if (t <= hi) {
                double x = Math.max(lo, t);
                return Double.isFinite(x) ? x : 0.0;
            }
            lo = hi;
        }
        return Double.isFinite(lo) ? lo : 0.0;
    }

    /** The t with g'(t) = s, g(t) = sqrt(a t^2 + 2 b t + r), d = a r - b^2: +-infinity when |s| &gt;= sqrt(a). */
    private static double inverseSlope(double s, double a, double b, double d) {
        if (!(a > 0.0)) {
            return s > 0 ? Double.POSITIVE_INFINITY : (s < 0 ? Double.NEGATIVE_INFINITY : 0.0);
        }
        double room = a - s * s;
        if (room <= 0.0) {
            return s > 0 ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
        }
        double y = s * Math.sqrt(d / room);
        return (y - b) / a;
    }

    private static double dot(double[] x, double[] y, int n) {
        double s = 0.0;
        for (int k = 0; k < n; k++) {
            s += x[k] * y[k];
        }
        return s;
    }

    private void ensure(int n, int m) {
        if (c.length < n) {
            c = new double[n];
            qc = new double[n];
            lineCount = new int[n];
        }
        if (lineIndex.length < n * m) {
            lineIndex = new int[n * m];
            breakpoint = new double[n * m];
        }
        if (zGrid.length < m) {
            zGrid = new double[m];
        }
    }
}
