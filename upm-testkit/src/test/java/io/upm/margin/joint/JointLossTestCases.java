package io.upm.margin.joint;

import java.util.Arrays;
import java.util.SplittableRandom;

/** Seeded random risk-unit grids and correlation matrices for the joint-loss tests. */
public final class JointLossTestCases {
    private JointLossTestCases() {
    }

    /** Names of the grid shapes. */
    public static final String[] SHAPES = {"linear", "convex", "concave", "long-straddle", "short-straddle", "jagged"};
    /** Names of the correlation kinds. */
    public static final String[] CORRELATIONS = {"all-ones", "1-1e-8", "low-rank", "positive", "mixed", "identity",
        "near-singular-negative"};

    /** P_u at the 9 grid points of one of the shapes. */
    public static double[] shape(SplittableRandom r, int kind) {
        double[] p = new double[9];
        double a = (r.nextDouble() * 2 - 1) * Math.pow(10, 3 + 4 * r.nextDouble());
        double b = Math.abs(a) * (0.2 + r.nextDouble());
        for (int j = 0; j < 9; j++) {
            double z = (j - 4) / 4.0;
            p[j] = switch (kind) {
                case 0 -> a * z;
                case 1 -> a * z + b * z * z;
                case 2 -> a * z - b * z * z;
                case 3 -> -0.3 * b + b * Math.abs(z) + 0.2 * a * z;
                case 4 -> 0.3 * b - b * Math.abs(z) + 0.2 * a * z;
                default -> (r.nextDouble() * 2 - 1) * Math.abs(a);
            };
        }
        return p;
    }

    /** A vee-shaped P: b |z| - max(b, 0). */
    public static double[] vee(double b) {
        double[] p = new double[9];
        for (int j = 0; j < 9; j++) {
            p[j] = b * Math.abs(j - 4) / 4.0 - (b > 0 ? b : 0.0);
        }
        return p;
    }

    /** A valid correlation matrix of one of the kinds. */
    public static double[][] correlation(SplittableRandom r, int n, int kind) {
        double[][] q = new double[n][n];
        switch (kind) {
            case 0 -> {
                for (double[] row : q) {
                    Arrays.fill(row, 1.0);
                }
                return q;
            }
            case 1 -> {
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < n; j++) {
                        q[i][j] = i == j ? 1.0 : 1.0 - 1e-8;
                    }
                }
                return q;
            }
            case 5 -> {
                for (int i = 0; i < n; i++) {
                    q[i][i] = 1.0;
                }
                return q;
            }
            case 6 -> {
                if (n == 2) {
                    return new double[][] {{1, -1}, {-1, 1}};
                }
            }
            default -> {
            }
        }
        int k = kind == 2 ? 1 + r.nextInt(n - 1) : kind == 6 ? n - 1 : n + 2;
        double[][] f = new double[n][k];
        for (double[] row : f) {
            for (int c = 0; c < k; c++) {
                row[c] = r.nextDouble() * 2 - 1 + (kind == 3 ? 0.8 : 0.0);
            }
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0.0;
                for (int c = 0; c < k; c++) {
                    s += f[i][c] * f[j][c];
                }
                q[i][j] = s;
            }
        }
        double[] d = new double[n];
        for (int i = 0; i < n; i++) {
            d[i] = Math.sqrt(q[i][i]);
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                q[i][j] = i == j ? 1.0 : q[i][j] / (d[i] * d[j]);
            }
        }
        if (kind == 6) {
            // near-singular with a small positive eigenvalue
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    q[i][j] = i == j ? 1.0 : q[i][j] * (1 - 1e-6);
                }
            }
        }
        return q;
    }

    /**
     * The largest loss found at {@code samples} random feasible joint moves z = Q^{1/2} w (w on the unit sphere)
     * plus the centre: a lower bound of J.
     */
    public static double sampledLowerBound(SplittableRandom rnd, double[][] q, double[] grid, int m, int samples) {
        int n = q.length;
        double[][] root = new double[n][n];
        org.apache.commons.math3.linear.EigenDecomposition eig =
            new org.apache.commons.math3.linear.EigenDecomposition(new org.apache.commons.math3.linear.Array2DRowRealMatrix(q));
        double[] lambda = eig.getRealEigenvalues();
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < n; c++) {
                double s = 0.0;
                for (int k = 0; k < n; k++) {
                    s += eig.getV().getEntry(r, k) * Math.sqrt(Math.max(0.0, lambda[k])) * eig.getV().getEntry(c, k);
                }
                root[r][c] = s;
            }
        }
        double best = Double.NEGATIVE_INFINITY;
        double[] w = new double[n];
        for (int t = 0; t <= samples; t++) {
            double norm = 0.0;
            for (int k = 0; k < n; k++) {
                w[k] = t == 0 ? 0.0 : rnd.nextGaussian();
                norm += w[k] * w[k];
            }
            double inv = norm > 0 ? 1.0 / Math.sqrt(norm) : 0.0;
            double loss = 0.0;
            for (int u = 0; u < n; u++) {
                double z = 0.0;
                for (int k = 0; k < n; k++) {
                    z += root[u][k] * w[k] * inv;
                }
                z = Math.max(-1.0, Math.min(1.0, z));
                double x = (z + 1.0) * 0.5 * (m - 1);
                int i = Math.min((int) x, m - 2);
                double f = x - i;
                loss -= grid[u * m + i] + f * (grid[u * m + i + 1] - grid[u * m + i]);
            }
            best = Math.max(best, loss);
        }
        return best;
    }
}
