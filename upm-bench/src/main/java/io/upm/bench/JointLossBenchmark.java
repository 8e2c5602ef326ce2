package io.upm.bench;

import io.upm.margin.JointLossSolver;
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

/** The correlation-aware joint loss J(Q) for 2 and 3 units on random piecewise-linear P&amp;L profiles. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class JointLossBenchmark {
    @Param({"2", "3"})
    int units;

    private JointLossSolver.Geometry geometry;
    private final JointLossSolver solver = new JointLossSolver();
    private double[][] grids;
    private int next;

    /** Random grids and a typical crypto correlation matrix. */
    @Setup
    public void setUp() {
        double[][] q = units == 2 ? new double[][] {{1, 0.8}, {0.8, 1}}
            : new double[][] {{1, 0.8, 0.7}, {0.8, 1, 0.75}, {0.7, 0.75, 1}};
        int[] assets = new int[units];
        for (int u = 0; u < units; u++) {
            assets[u] = u;
        }
        geometry = JointLossSolver.Geometry.of(assets, q, 4, 0);
        SplittableRandom rnd = new SplittableRandom(11);
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
    }

    /** One solve. */
    @Benchmark
    public double solve() {
        double[] g = grids[next];
        next = (next + 1) & 255;
        return solver.solve(geometry, g);
    }
}
