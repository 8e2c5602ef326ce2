package io.upm.margin;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.RealMatrix;

/**
 * The joint loss J(Q) of MODEL.md section 5: the largest loss -sum_u P_u(z_u) over the joint standardised
 * moves z in the ellipsoid {Q^{1/2} w : |w| &lt;= 1}, where P_u is a unit's worst P&amp;L over the vol
 * states, linear between the risk matrix's price points. (For a correlation matrix the ellipsoid lies
 * inside the box |z_u| &lt;= 1.)
 *
 * <p>Method. The objective is separable and piecewise linear on the cells of the price grid, so its
 * maximum over (cell intersected with the ellipsoid) sits at a grid vertex inside the ellipsoid or on
 * the ellipsoid's surface. The solver therefore takes (1) the exact maximum over all grid vertices inside
 * the ellipsoid, precomputed per Q, and (2) the maximum over the surface: a fixed set of directions w,
 * then a shrinking pattern search on the sphere from the best few of them. Tests compare it with a dense
 * brute force (far below the 1% that MODEL.md asks).
 *
 * <p>A {@link Geometry} (the directions, their images, the inner vertices) depends only on Q and is
 * shared; a solver instance holds scratch buffers and is single-threaded, allocation-free per solve.
 */
public final class JointLossSolver {
    /** Number of best coarse directions refined by pattern search. */
    static final int REFINED_STARTS = 3;
    /** The pattern search stops when its step on the unit sphere is below this. */
    static final double MIN_STEP = 2e-4;

    private double[] slopes = new double[16 * 9];
    private final double[] wTry = new double[16];
    private final double[] wBest = new double[16];
    private final int[] top = new int[REFINED_STARTS];
    private final double[] topValue = new double[REFINED_STARTS];

    /**
     * The joint loss.
     *
     * @param g      the geometry of Q over the n units
     * @param grid   P_u at the grid points: {@code grid[u * m + j]}, m = 2 x steps + 1
     * @return J(Q) in USD (may be negative when every joint move is a gain)
     */
    public double solve(Geometry g, double[] grid) {
        int n = g.n;
        int m = g.m;
        if (n == 1) {
            double best = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < m; j++) {
                best = Math.max(best, -grid[j]);
            }
            return best;
        }
        ensure(n, m);
        for (int u = 0; u < n; u++) {
            for (int j = 0; j < m - 1; j++) {
                slopes[u * m + j] = grid[u * m + j + 1] - grid[u * m + j];
            }
        }
        // (1) grid vertices inside the ellipsoid: exact
        double best = Double.NEGATIVE_INFINITY;
        byte[] vi = g.vertexIndex;
        for (int k = 0, off = 0; k < g.vertexCount; k++, off += n) {
            double s = 0.0;
            for (int u = 0; u < n; u++) {
                s += grid[u * m + vi[off + u]];
            }
            best = Math.max(best, -s);
        }
        // (2) the surface: coarse directions, keep the best few
        Arrays.fill(topValue, Double.NEGATIVE_INFINITY);
        Arrays.fill(top, -1);
        int[] idx = g.surfaceIndex;
        double[] frac = g.surfaceFraction;
        for (int k = 0, off = 0; k < g.directionCount; k++, off += n) {
            double s = 0.0;
            for (int u = 0; u < n; u++) {
                int cell = u * m + idx[off + u];
                s += grid[cell] + frac[off + u] * slopes[cell];
            }
            insertTop(k, -s);
        }
        for (int t = 0; t < REFINED_STARTS; t++) {
            if (top[t] >= 0) {
                best = Math.max(best, refine(g, grid, top[t], topValue[t]));
            }
        }
        return best;
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

    private double refine(Geometry g, double[] grid, int start, double startValue) {
        int n = g.n;
        System.arraycopy(g.directions, start * n, wBest, 0, n);
        double bestValue = startValue;
        double step = g.spacing;
        int evaluations = 0;
        while (step > MIN_STEP && evaluations < 400) {
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
                    double v = loss(g, grid, wTry);
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

    private double loss(Geometry g, double[] grid, double[] w) {
        int n = g.n;
        int m = g.m;
        double[] root = g.sqrtQ;
        double s = 0.0;
        for (int u = 0; u < n; u++) {
            double z = 0.0;
            for (int c = 0; c < n; c++) {
                z += root[u * n + c] * w[c];
            }
            s += interpolate(grid, u * m, m, z);
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

    private void ensure(int n, int m) {
        if (slopes.length < n * m) {
            slopes = new double[n * m]; // once per larger grid; never on the steady-state path
        }
    }

    /**
     * The geometry of one correlation matrix Q over n units: Q^{1/2}, the surface directions with their
     * images (as grid cell and fraction), and the grid vertices inside the ellipsoid. Immutable, shared.
     */
    public static final class Geometry {
        final int[] assets;
        final int n;
        final int m;
        final double[] sqrtQ;
        final double[] directions;
        final int directionCount;
        final int[] surfaceIndex;
        final double[] surfaceFraction;
        final byte[] vertexIndex;
        final int vertexCount;
        final double spacing;

        private Geometry(int[] assets, int n, int m, double[] sqrtQ, double[] directions, int directionCount,
                         int[] surfaceIndex, double[] surfaceFraction, byte[] vertexIndex, int vertexCount,
                         double spacing) {
            this.assets = assets;
            this.n = n;
            this.m = m;
            this.sqrtQ = sqrtQ;
            this.directions = directions;
            this.directionCount = directionCount;
            this.surfaceIndex = surfaceIndex;
            this.surfaceFraction = surfaceFraction;
            this.vertexIndex = vertexIndex;
            this.vertexCount = vertexCount;
            this.spacing = spacing;
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

        /** Default number of coarse directions for n units. */
        static int defaultDirections(int n) {
            return switch (n) {
                case 1 -> 2;
                case 2 -> 96;
                case 3 -> 400;
                case 4 -> 1200;
                default -> 3000;
            };
        }

        /**
         * Builds the geometry.
         *
         * @param assets     the asset indices (for cache checks)
         * @param q          the correlation matrix, positive semi-definite
         * @param steps      price steps on each side (grid of 2 steps + 1 points)
         * @param directions coarse directions; 0 for the default by dimension
         */
        public static Geometry of(int[] assets, double[][] q, int steps, int directions) {
            int n = q.length;
            if (n > 16) {
                throw new IllegalArgumentException("at most 16 risk units per account are supported, got " + n);
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
            for (int r = 0; r < n; r++) {
                for (int c = 0; c < n; c++) {
                    double s = 0;
                    for (int k = 0; k < n; k++) {
                        double l = lambda[k] > eps ? Math.sqrt(lambda[k]) : 0.0;
                        s += v.getEntry(r, k) * l * v.getEntry(c, k);
                    }
                    root[r * n + c] = s;
                }
            }
            int count = directions > 0 ? directions : defaultDirections(n);
            double[] w = directions(n, count);
            int[] idx = new int[count * n];
            double[] frac = new double[count * n];
            for (int k = 0; k < count; k++) {
                for (int u = 0; u < n; u++) {
                    double z = 0;
                    for (int c = 0; c < n; c++) {
                        z += root[u * n + c] * w[k * n + c];
                    }
                    double t = (z + 1.0) * 0.5 * (m - 1);
                    int i = Math.min(Math.max((int) t, 0), m - 2);
                    idx[k * n + u] = i;
                    frac[k * n + u] = t - i;
                }
            }
            // grid vertices inside the ellipsoid: z = V y with sum y_k^2 / lambda_k <= 1 and y_k = 0 where lambda_k = 0
            byte[] vertices;
            int vertexCount = 0;
            long total = 1;
            for (int u = 0; u < n; u++) {
                total *= m;
            }
            if (total <= 2_000_000L) {
                byte[] buf = new byte[(int) Math.min(total, 200_000L) * n];
                int[] code = new int[n];
                double[] z = new double[n];
                for (long c = 0; c < total; c++) {
                    long rest = c;
                    for (int u = 0; u < n; u++) {
                        code[u] = (int) (rest % m);
                        rest /= m;
                        z[u] = (code[u] - steps) / (double) steps;
                    }
                    double quad = 0;
                    boolean inside = true;
                    for (int k = 0; k < n && inside; k++) {
                        double y = 0;
                        for (int u = 0; u < n; u++) {
                            y += v.getEntry(u, k) * z[u];
                        }
                        if (lambda[k] > eps) {
                            quad += y * y / lambda[k];
                        } else if (Math.abs(y) > 1e-9) {
                            inside = false;
                        }
                    }
                    if (inside && quad <= 1.0 + 1e-12) {
                        if ((vertexCount + 1) * n > buf.length) {
                            buf = Arrays.copyOf(buf, buf.length * 2);
                        }
                        for (int u = 0; u < n; u++) {
                            buf[vertexCount * n + u] = (byte) code[u];
                        }
                        vertexCount++;
                    }
                }
                vertices = Arrays.copyOf(buf, vertexCount * n);
            } else {
                vertices = new byte[0];
            }
            double spacing = n == 2 ? 2 * Math.PI / count : Math.sqrt(4 * Math.PI / count) * (n > 3 ? 2 : 1);
            return new Geometry(assets, n, m, root, w, count, idx, frac, vertices, vertexCount, spacing);
        }

        /** Deterministic, roughly uniform unit directions: a circle, a Fibonacci sphere, or seeded Gaussians. */
        static double[] directions(int n, int count) {
            double[] w = new double[count * n];
            if (n == 2) {
                for (int k = 0; k < count; k++) {
                    double a = 2 * Math.PI * k / count;
                    w[2 * k] = StrictMath.cos(a);
                    w[2 * k + 1] = StrictMath.sin(a);
                }
            } else if (n == 3) {
                double golden = Math.PI * (3 - Math.sqrt(5));
                for (int k = 0; k < count; k++) {
                    double y = 1 - 2 * (k + 0.5) / count;
                    double r = StrictMath.sqrt(1 - y * y);
                    double a = golden * k;
                    w[3 * k] = r * StrictMath.cos(a);
                    w[3 * k + 1] = y;
                    w[3 * k + 2] = r * StrictMath.sin(a);
                }
            } else {
                SplittableRandom rnd = new SplittableRandom(0x5EEDL + n);
                for (int k = 0; k < count; k++) {
                    double norm = 0;
                    for (int u = 0; u < n; u++) {
                        double x = gaussian(rnd);
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

        private static double gaussian(SplittableRandom rnd) {
            // Box-Muller from the deterministic stream (StrictMath for cross-platform bit-exactness)
            double u1 = rnd.nextDouble();
            double u2 = rnd.nextDouble();
            return StrictMath.sqrt(-2 * StrictMath.log(1 - u1)) * StrictMath.cos(2 * Math.PI * u2);
        }
    }

    /** A solver with scratch for up to 16 units. */
    public JointLossSolver() {
    }
}
