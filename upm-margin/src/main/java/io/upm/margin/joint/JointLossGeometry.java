package io.upm.margin.joint;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.RealMatrix;

/**
 * The geometry of one correlation matrix Q over n units: Q, Q^{1/2}, the Schur complements of each
 * coordinate, the surface points (directions and edge points) with their grid cells and fractions,
 * and the grid vertices inside the ellipsoid, for 2 to 8 units (the exact solvers of {@link ExactJointLoss}).
 * Depends only on Q and the grid; immutable and thread-safe.
 */
public final class JointLossGeometry {
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
    /** Solves served; after {@link #FILTER_AFTER} a 3-unit geometry builds the cell filter below (it is hot). */
    private int uses;
    /**
     * For 3 units, once the geometry is hot: per grid cell (code sum_u cell_u (m-1)^u) and, for 3 units, per
     * face cell (code ((u m + k)(m-1) + ia)(m-1) + ib), 1 where the ellipsoid's surface may pass, 0 where the cell
     * lies wholly inside or wholly outside it (so no stationary point on the surface can be in it). A pure
     * optimisation: the solver would reject those cells' points anyway, so results are the same with or without it.
     * Built at most once; idempotent, so a racing second build is harmless.
     */
    private volatile byte[] cellFilter;
    private volatile byte[] faceFilter;
    /** Uses after which a geometry builds its cell filter. */
    static final int FILTER_AFTER = 256;
    final boolean exact;

    private JointLossGeometry(int n, int m, double[] q, double[] sqrtQ, double[] pinvQ, double[] rangeProjector,
                     double[][] schur, double[] points,
                     double[] directions, int directionCount, int surfaceCount, byte[] vertexIndex,
                     int vertexCount, double spacing) {
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
    }

    /** Counts a solve; returns the cell filter once built (null before). */
    byte[] cellFilter() {
        if (cellFilter == null && n == 3 && ++uses == FILTER_AFTER) {
            buildFilters();
        }
        return cellFilter;
    }

    /** The face filter (3 units), once built. */
    byte[] faceFilter() {
        return faceFilter;
    }

    private void buildFilters() {
        int cellsPerAxis = m - 1;
        int total = 1;
        for (int u = 0; u < n; u++) {
            total *= cellsPerAxis;
        }
        double half = 0.5 * (m - 1);
        boolean regular = isRegular();
        byte[] cells = new byte[total];
        int[] c = new int[n];
        double[] z = new double[n];
        for (int code = 0; code < total; code++) {
            int rest = code;
            for (int u = 0; u < n; u++) {
                c[u] = rest % cellsPerAxis;
                rest /= cellsPerAxis;
            }
            cells[code] = (byte) (!regular || mayCross(n, c, -1, 0.0, half, pinvQ, z) ? 1 : 0);
        }
        byte[] faces = null;
        if (n == 3) {
            faces = new byte[3 * m * cellsPerAxis * cellsPerAxis];
            for (int u = 0; u < 3; u++) {
                int a = u == 0 ? 1 : 0;
                int b = u == 2 ? 1 : 2;
                for (int k = 0; k < m; k++) {
                    for (int ia = 0; ia < cellsPerAxis; ia++) {
                        for (int ib = 0; ib < cellsPerAxis; ib++) {
                            c[a] = ia;
                            c[b] = ib;
                            c[u] = 0;
                            boolean keep = !regular || mayCross(3, c, u, k / half - 1.0, half, pinvQ, z);
                            faces[((u * m + k) * cellsPerAxis + ia) * cellsPerAxis + ib] = (byte) (keep ? 1 : 0);
                        }
                    }
                }
            }
        }
        faceFilter = faces;
        cellFilter = cells;
    }

    /** Q well-conditioned: its pseudo-inverse is its inverse and the form z'Q^-1 z describes the whole ellipsoid. */
    private boolean isRegular() {
        // Q^+ Q = I within rounding exactly when Q has full rank
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < n; c++) {
                double s = 0.0;
                for (int k = 0; k < n; k++) {
                    s += pinvQ[r * n + k] * q[k * n + c];
                }
                if (Math.abs(s - (r == c ? 1.0 : 0.0)) > 1e-9) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * Whether the surface z'Q^-1 z = 1 may meet a grid cell (coordinate {@code fixed}, if not -1, held at
     * {@code fixedValue}): false when every corner is strictly inside (a convex form peaks at a corner), or when a
     * supporting-plane lower bound of the form over the cell, taken at a near-minimiser (projected coordinate
     * descent), is strictly above 1. Margins of 1e-9 keep borderline cells.
     */
    private static boolean mayCross(int n, int[] cell, int fixed, double fixedValue, double half, double[] pinvQ,
                                    double[] z) {
        double[] lo = new double[n];
        double[] hi = new double[n];
        int free = 0;
        for (int u = 0; u < n; u++) {
            if (u == fixed) {
                lo[u] = fixedValue;
                hi[u] = fixedValue;
            } else {
                lo[u] = cell[u] / half - 1.0;
                hi[u] = (cell[u] + 1) / half - 1.0;
                free++;
            }
        }
        for (int u = 0; u < n; u++) {
            z[u] = lo[u] > 0 ? lo[u] : hi[u] < 0 ? hi[u] : 0.0;
        }
        for (int sweep = 0; sweep < 12; sweep++) {
            for (int u = 0; u < n; u++) {
                double puu = pinvQ[u * n + u];
                if (!(puu > 0)) {
                    continue;
                }
                double t = 0.0;
                for (int v = 0; v < n; v++) {
                    t += v == u ? 0.0 : pinvQ[u * n + v] * z[v];
                }
                z[u] = Math.max(lo[u], Math.min(hi[u], -t / puu));
            }
        }
        double fy = 0.0;
        double lower = 0.0;
        for (int r = 0; r < n; r++) {
            double g = 0.0;
            for (int c = 0; c < n; c++) {
                g += pinvQ[r * n + c] * z[c];
            }
            fy += z[r] * g;
            g *= 2.0;
            lower += Math.min(g * (lo[r] - z[r]), g * (hi[r] - z[r]));
        }
        if (fy + lower > 1.0 + 1e-9) {
            return false;
        }
        double maxForm = Double.NEGATIVE_INFINITY;
        for (int corner = 0; corner < (1 << free); corner++) {
            for (int u = 0, bit = 0; u < n; u++) {
                if (u == fixed) {
                    z[u] = fixedValue;
                } else {
                    z[u] = ((corner >> bit) & 1) == 0 ? lo[u] : hi[u];
                    bit++;
                }
            }
            double form = 0.0;
            for (int r = 0; r < n; r++) {
                double t = 0.0;
                for (int c = 0; c < n; c++) {
                    t += pinvQ[r * n + c] * z[c];
                }
                form += z[r] * t;
            }
            maxForm = Math.max(maxForm, form);
        }
        return maxForm >= 1.0 - 1e-9;
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

    /** Default number of surface directions for n units (none for 2 and 3 units, which are solved exactly). */
    static int defaultDirections(int n) {
        return switch (n) {
            case 1, 2, 3 -> 0; // solved exactly from vertices, edge points and cell and face stationary points
            case 4 -> 500;
            default -> n <= 8 ? 1000 : 40000;
        };
    }

    /** Largest number of units a geometry is built for (the exact solvers' range). */
    public static final int MAX_UNITS = 8;

    /**
     * Builds the geometry. Costly (eigen-decomposition, vertex and cell enumeration, for 4 to 8 units the
     * face projectors): callers keep geometries in a {@link GeometryCache}.
     *
     * @param q          the correlation matrix (unit diagonal), positive semi-definite, 2 to {@link #MAX_UNITS} units
     * @param steps      price steps on each side (grid of 2 steps + 1 points)
     * @param directions surface directions; 0 for the default by dimension
     */
    public static JointLossGeometry of(double[][] q, int steps, int directions) {
        return build(q, steps, directions);
    }

    private static JointLossGeometry build(double[][] q, int steps, int directions) {
        int n = q.length;
        if (n < 2 || n > MAX_UNITS) {
            throw new IllegalArgumentException("a joint-loss geometry has 2 to " + MAX_UNITS + " units, got " + n);
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
        double spacing = count == 0 ? 0.0 : n == 2 ? 2 * Math.PI / count : Math.sqrt(4 * Math.PI / count) * (n > 3 ? 2 : 1);
        return new JointLossGeometry(n, m, flatQ, root, pinvQ, projector, schur, points, dirs, count, count + edgeCount, vertices,
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
