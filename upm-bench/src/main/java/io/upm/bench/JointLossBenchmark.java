package io.upm.bench;

import io.upm.margin.AccountMarginCalculator;
import io.upm.margin.joint.GeometryCache;
import io.upm.margin.joint.JointLossSolver;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The correlation-aware joint loss J(Q) ({@link JointLossSolver}, as the risk core configures it) on random
 * piecewise-linear P&amp;L profiles (linear plus quadratic: perpetual-like to straddle-like) under a crypto-like
 * correlation matrix (one common factor, correlations 0.55 to 0.85), for 2 to 50 units: exact for 2 and 3, the
 * budgeted exact search or the certified bound for 4 and 5, the certified bound above.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class JointLossBenchmark {
    @Param({"2", "3", "5", "10", "20", "50"})
    int units;

    private final JointLossSolver solver = new JointLossSolver(new GeometryCache(64), 4, 0,
        AccountMarginCalculator.DEFAULT_EXACT_UNITS, AccountMarginCalculator.DEFAULT_LEAF_BUDGET);
    private double[] q;
    private double[][] grids;
    private int next;

    /** Random grids and a one-factor correlation matrix. */
    @Setup
    public void setUp() {
        SplittableRandom rnd = new SplittableRandom(11);
        double[] loading = new double[units];
        for (int u = 0; u < units; u++) {
            loading[u] = Math.sqrt(rnd.nextDouble(0.55, 0.85));
        }
        q = new double[units * units];
        for (int r = 0; r < units; r++) {
            for (int c = 0; c < units; c++) {
                q[r * units + c] = r == c ? 1.0 : loading[r] * loading[c];
            }
        }
        grids = new double[256][units * 9];
        for (double[] g : grids) {
            for (int u = 0; u < units; u++) {
                double slope = rnd.nextDouble(-1e5, 1e5);
                double curve = rnd.nextDouble(-5e4, 5e4);
                for (int j = 0; j < 9; j++) {
                    double z = (j - 4) / 4.0;
                    g[u * 9 + j] = slope * z + curve * z * z;
                }
            }
        }
        for (double[] g : grids) {
            solver.solve(units, q, g, Double.NEGATIVE_INFINITY); // geometries into the cache
        }
    }

    /** One solve of J itself. */
    @Benchmark
    public double solve() {
        double[] g = grids[next];
        next = (next + 1) & 255;
        return solver.solve(units, q, g, Double.NEGATIVE_INFINITY);
    }

    /** The certified upper bound alone. */
    @Benchmark
    public double bound() {
        double[] g = grids[next];
        next = (next + 1) & 255;
        return solver.upperBound(units, 9, q, g);
    }
}
