package io.upm.margin.joint;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Computes, offline, exact joint losses of seeded random 7- and 8-unit cases (the face branch and bound run to the
 * end, which takes seconds to minutes a case) and writes them to the fixture that {@link JointLossBoundTest} reads
 * ({@code src/test/resources/joint-loss-exact-7-8-units.csv}). Run from the repository root:
 * <pre>
 *   ./mvnw -q -pl upm-testkit -am test-compile -DskipTests
 *   java -cp "upm-testkit/target/test-classes:upm-testkit/target/classes:upm-margin/target/classes:$(cat cp.txt)" \
 *       io.upm.margin.joint.ExactReferenceGenerator upm-testkit/src/test/resources/joint-loss-exact-7-8-units.csv
 * </pre>
 * Each line: units, case seed, then Q row-major, then the grid P_u(z_j) row-major, then the exact J; values as
 * Java's shortest round-trip decimal, so the test reads back the same doubles. Cases whose search exceeds the
 * budget are not written.
 */
public final class ExactReferenceGenerator {
    private ExactReferenceGenerator() {
    }

    /** The case of a seed: a full-rank correlation matrix and option-like grids. */
    static double[][] caseQ(long seed, int n) {
        SplittableRandom rnd = new SplittableRandom(seed);
        return JointLossTestCases.correlation(rnd, n, 3 + rnd.nextInt(3));
    }

    /** The grids of a seed's case (drawn after its matrix, from the same stream). */
    static double[] caseGrid(long seed, int n) {
        SplittableRandom rnd = new SplittableRandom(seed);
        JointLossTestCases.correlation(rnd, n, 3 + rnd.nextInt(3));
        double[] grid = new double[n * 9];
        for (int u = 0; u < n; u++) {
            System.arraycopy(JointLossTestCases.shape(rnd, rnd.nextInt(5)), 0, grid, u * 9, 9);
        }
        return grid;
    }

    /** Writes the fixture: args[0] the output file, args[1] (optional) the leaf budget per case. */
    public static void main(String[] args) throws IOException {
        Path out = Path.of(args[0]);
        long budget = args.length > 1 ? Long.parseLong(args[1]) : 2_000_000_000L;
        ExactJointLoss solver = new ExactJointLoss();
        solver.leafBudget(budget);
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(out, StandardCharsets.UTF_8))) {
            w.println("# exact joint losses of seeded 7- and 8-unit cases; see ExactReferenceGenerator");
            for (int n = 7; n <= 8; n++) {
                for (long seed = 1; seed <= 8; seed++) {
                    double[][] q = caseQ(1000L * n + seed, n);
                    double[] grid = caseGrid(1000L * n + seed, n);
                    long t0 = System.nanoTime();
                    double j = solver.solve(JointLossGeometry.of(q, 4, 0), grid);
                    double seconds = (System.nanoTime() - t0) / 1e9;
                    System.out.printf(Locale.ROOT, "n=%d seed=%d J=%s %s in %.1f s%n", n, seed, j,
                        solver.completed() ? "exact" : "UNFINISHED", seconds);
                    if (!solver.completed()) {
                        continue;
                    }
                    StringBuilder line = new StringBuilder().append(n).append(',').append(1000L * n + seed);
                    for (double[] row : q) {
                        for (double x : row) {
                            line.append(',').append(x);
                        }
                    }
                    for (double x : grid) {
                        line.append(',').append(x);
                    }
                    line.append(',').append(j);
                    w.println(line);
                    w.flush();
                }
            }
        }
    }
}
