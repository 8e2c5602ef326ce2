package io.upm.market;

import io.upm.input.InputException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;

/**
 * Pairwise correlations of underlying moves, keyed {@code "BTC/ETH"}; unknown pairs are 0 and the
 * diagonal is 1 (MODEL.md section 5). Immutable. The matrix over all assets named is checked to be
 * positive semi-definite on construction.
 */
public final class Correlations {
    /** Tolerance on the smallest eigenvalue below which a correlation matrix is rejected. */
    public static final double PSD_TOLERANCE = 1e-9;

    private final Map<String, Double> pairs;

    private Correlations(Map<String, Double> pairs) {
        this.pairs = pairs;
    }

    /** No correlations at all (every pair 0). */
    public static Correlations none() {
        return new Correlations(Map.of());
    }

    /**
     * Validated correlations.
     *
     * @param pairs {@code "A/B"} to correlation in [-1, 1]
     * @param field the field path, for errors
     */
    public static Correlations of(Map<String, Double> pairs, String field) {
        TreeMap<String, Double> canonical = canonicalPairs(pairs, field);
        Correlations c = new Correlations(Map.copyOf(canonical));
        List<String> assets = canonical.keySet().stream().flatMap(k -> java.util.Arrays.stream(k.split("/")))
            .distinct().sorted().toList();
        if (!assets.isEmpty()) {
            double min = minEigenvalue(c.matrix(assets));
            if (min < -PSD_TOLERANCE) {
                throw new InputException(field, "correlation matrix is not positive semi-definite (smallest eigenvalue "
                    + min + ")");
            }
        }
        return c;
    }

    /**
     * Each pair checked on its own (key {@code "A/B"} of two different assets, value in [-1, 1], not given both as
     * A/B and B/A), without the check of the matrix as a whole: the leaves of a partial snapshot
     * ({@link MarketFields}).
     *
     * @param pairs {@code "A/B"} to correlation
     * @param field the field path of the pairs, for errors
     * @return canonical keys (alphabetical {@code A/B}) to value
     */
    static TreeMap<String, Double> canonicalPairs(Map<String, Double> pairs, String field) {
        TreeMap<String, Double> canonical = new TreeMap<>();
        for (Map.Entry<String, Double> e : pairs.entrySet()) {
            String key = e.getKey();
            String f = field + "." + key;
            String[] ab = key.split("/", -1);
            if (ab.length != 2 || ab[0].isEmpty() || ab[1].isEmpty()) {
                throw new InputException(f, "correlation key must be \"A/B\"");
            }
            if (ab[0].equals(ab[1])) {
                throw new InputException(f, "correlation of an asset with itself is always 1");
            }
            double rho = e.getValue();
            if (!Double.isFinite(rho) || rho < -1 || rho > 1) {
                throw new InputException(f, "correlation must be in [-1, 1], got " + rho);
            }
            String k = canonicalKey(ab[0], ab[1]);
            if (canonical.put(k, rho) != null) {
                throw new InputException(f, "pair given twice (as A/B and B/A)");
            }
        }
        return canonical;
    }

    /** The correlation of two assets: 1 on the diagonal, the given pair, else 0. */
    public double get(String a, String b) {
        if (a.equals(b)) {
            return 1.0;
        }
        Double v = pairs.get(canonicalKey(a, b));
        return v == null ? 0.0 : v;
    }

    /** The correlation matrix over the given assets, in their order. */
    public double[][] matrix(List<String> assets) {
        int n = assets.size();
        double[][] m = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                m[i][j] = get(assets.get(i), assets.get(j));
            }
        }
        return m;
    }

    /** The given pairs, canonical keys (alphabetical {@code A/B}) to value. */
    public Map<String, Double> pairs() {
        return pairs;
    }

    /** The smallest eigenvalue of a symmetric matrix. */
    public static double minEigenvalue(double[][] m) {
        double[] ev = new EigenDecomposition(new Array2DRowRealMatrix(m, false)).getRealEigenvalues();
        double min = Double.POSITIVE_INFINITY;
        for (double v : ev) {
            min = Math.min(min, v);
        }
        return min;
    }

    /** The canonical key of a pair: the two assets in alphabetical order, {@code A/B}. */
    static String canonicalKey(String a, String b) {
        return a.compareTo(b) < 0 ? a + "/" + b : b + "/" + a;
    }
}
