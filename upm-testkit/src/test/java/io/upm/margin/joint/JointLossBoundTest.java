package io.upm.margin.joint;

import static org.assertj.core.api.Assertions.assertThat;

import io.upm.testkit.NaiveMarginCalculator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The certified upper bound of the joint loss ({@link JointLossSolver#upperBound}, proof in docs/methodology.md):
 * never below the exact J, measured against exact values computed here with an unbounded search, on seeded random
 * grids and correlation matrices of 2 to 8 units; tight where it must be (linear units); valid and bounded by the
 * siloed sum at 9 to 50 units.
 */
class JointLossBoundTest {
    private static final int STEPS = 4;
    private static final int M = 2 * STEPS + 1;

    /** Exact J by the face branch and bound with a budget large enough to finish (checked). */
    private static double exact(ExactJointLoss solver, double[][] q, double[] grid) {
        solver.leafBudget(Long.MAX_VALUE);
        double j = solver.solve(JointLossGeometry.of(q, STEPS, 0), grid);
        assertThat(solver.completed()).as("exact search finished").isTrue();
        return j;
    }

    private static double[] flat(double[][] q) {
        int n = q.length;
        double[] out = new double[n * n];
        for (int r = 0; r < n; r++) {
            System.arraycopy(q[r], 0, out, r * n, n);
        }
        return out;
    }

    private static double scale(double[] grid) {
        double s = 0.0;
        for (double x : grid) {
            s = Math.max(s, Math.abs(x));
        }
        return s;
    }

    private static double[] randomGrid(SplittableRandom rnd, int n) {
        return randomGrid(rnd, n, true);
    }

    /** Random grids of the test shapes; {@code jagged} false leaves out the random (non-option-like) one. */
    private static double[] randomGrid(SplittableRandom rnd, int n, boolean jagged) {
        double[] grid = new double[n * M];
        for (int u = 0; u < n; u++) {
            System.arraycopy(JointLossTestCases.shape(rnd, rnd.nextInt(jagged ? 6 : 5)), 0, grid, u * M, M);
        }
        return grid;
    }

    /**
     * Bound against exact J on random full correlation matrices and random grids (linear, convex, concave,
     * straddle-like, jagged): the exact reference is the face branch and bound run to the end (cross-checked with
     * the brute force below); at 7 and 8 units it can take minutes, so there it gets a budget of 50 million leaves
     * and cases it cannot finish are left out (counted; a fixed seed makes the set the same on every run). Prints
     * the median and worst excess per unit count.
     */
    @Test
    void theBoundIsNeverBelowTheExactJointLossFor2To8Units() {
        SplittableRandom rnd = new SplittableRandom(6);
        ExactJointLoss exactSolver = new ExactJointLoss();
        JointLossSolver solver = new JointLossSolver(new GeometryCache(64), STEPS, 0, 3, 1);
        int[] counts = {0, 0, 60, 60, 40, 20, 12};
        StringBuilder summary = new StringBuilder();
        List<String[]> fixture = fixture();
        for (int n = 2; n <= 8; n++) {
            List<Double> excess = new ArrayList<>();
            if (n <= 6) {
                for (int t = 0; t < counts[n]; t++) {
                    double[][] q = JointLossTestCases.correlation(rnd, n, rnd.nextInt(7));
                    double[] grid = randomGrid(rnd, n);
                    excess.add(checkedExcess(solver, n, q, grid, exact(exactSolver, q, grid), "n=" + n + " #" + t));
                }
            } else {
                for (String[] row : fixture) {
                    if (Integer.parseInt(row[0]) != n) {
                        continue;
                    }
                    double[][] q = new double[n][n];
                    double[] grid = new double[n * M];
                    int k = 2;
                    for (int r = 0; r < n; r++) {
                        for (int c = 0; c < n; c++) {
                            q[r][c] = Double.parseDouble(row[k++]);
                        }
                    }
                    for (int x = 0; x < n * M; x++) {
                        grid[x] = Double.parseDouble(row[k++]);
                    }
                    double j = Double.parseDouble(row[k]);
                    excess.add(checkedExcess(solver, n, q, grid, j, "fixture seed " + row[1]));
                }
            }
            assertThat(excess).as(n + " units: cases with an exact reference").hasSizeGreaterThanOrEqualTo(4);
            excess.sort(null);
            summary.append(String.format(Locale.ROOT, "%n  %d units: %d cases, excess over exact J: median %.2f%%, "
                + "p90 %.2f%%, worst %.2f%%", n, excess.size(), 100 * excess.get(excess.size() / 2),
                100 * excess.get(excess.size() * 9 / 10), 100 * excess.get(excess.size() - 1)));
        }
        System.out.println("[JointLossBoundTest] bound vs exact J (relative to max(|J|, 1% of max |P|)):" + summary);
    }

    /** The bound's relative excess over the exact J, after checking that it is not below it. */
    private static double checkedExcess(JointLossSolver solver, int n, double[][] q, double[] grid, double j, String label) {
        double bound = solver.upperBound(n, M, flat(q), grid);
        assertThat(bound).as(label + " Q=" + Arrays.deepToString(q) + " P=" + Arrays.toString(grid))
            .isGreaterThanOrEqualTo(j);
        return (bound - j) / Math.max(Math.abs(j), 1e-2 * scale(grid));
    }

    /** The offline exact values of 7- and 8-unit cases ({@link ExactReferenceGenerator}). */
    private static List<String[]> fixture() {
        try (var in = JointLossBoundTest.class.getResourceAsStream("/joint-loss-exact-7-8-units.csv")) {
            assertThat(in).as("fixture joint-loss-exact-7-8-units.csv").isNotNull();
            List<String[]> rows = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    rows.add(line.split(","));
                }
            }
            return rows;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The fixture was made by {@link ExactReferenceGenerator}: its first 7-unit case is recomputed here. */
    @Test
    void theOfflineFixtureMatchesARecomputation() {
        String[] row = fixture().get(0);
        int n = Integer.parseInt(row[0]);
        long seed = Long.parseLong(row[1]);
        double[][] q = ExactReferenceGenerator.caseQ(seed, n);
        double[] grid = ExactReferenceGenerator.caseGrid(seed, n);
        assertThat(Double.parseDouble(row[2])).isEqualTo(q[0][0]);
        assertThat(Double.parseDouble(row[row.length - 1])).isEqualTo(exact(new ExactJointLoss(), q, grid));
    }

    /**
     * n independent units that each lose b |z| (short straddles, linear between grid points): J = b sqrt(n) exactly,
     * at |z_u| = 1 / sqrt(n), for any n. The bound must stay above it; how far above is printed (this is the
     * bound's hardest case: convex losses and no correlation).
     */
    @Test
    void independentShortStraddlesHaveAClosedForm() {
        JointLossSolver solver = new JointLossSolver(new GeometryCache(64), STEPS, 0, 3, 1);
        StringBuilder summary = new StringBuilder();
        for (int n : new int[] {2, 3, 4, 8, 17, 50}) {
            double b = 1000.0;
            double[] grid = new double[n * M];
            double[] q = new double[n * n];
            for (int u = 0; u < n; u++) {
                q[u * n + u] = 1.0;
                for (int j = 0; j < M; j++) {
                    grid[u * M + j] = -b * Math.abs(j - STEPS) / (double) STEPS;
                }
            }
            double exact = b * Math.sqrt(n);
            double bound = solver.upperBound(n, M, q, grid);
            assertThat(bound).as("n=" + n).isGreaterThanOrEqualTo(exact);
            summary.append(String.format(Locale.ROOT, " n=%d: +%.1f%%", n, 100 * (bound / exact - 1)));
        }
        System.out.println("[JointLossBoundTest] independent short straddles, bound over exact:" + summary);
    }

    /**
     * Perfectly correlated units (Q = all ones) move together, z_u = t: J = the largest grid-vertex sum
     * max_j sum_u -P_u(z_j), exactly, for any number of units and any shapes.
     */
    @Test
    void perfectlyCorrelatedUnitsHaveAClosedForm() {
        SplittableRandom rnd = new SplittableRandom(12);
        JointLossSolver solver = new JointLossSolver(new GeometryCache(64), STEPS, 0, 3, 1);
        for (int t = 0; t < 40; t++) {
            int n = 2 + rnd.nextInt(49);
            double[] grid = randomGrid(rnd, n);
            double[] q = new double[n * n];
            java.util.Arrays.fill(q, 1.0);
            double exact = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < M; j++) {
                double s = 0.0;
                for (int u = 0; u < n; u++) {
                    s -= grid[u * M + j];
                }
                exact = Math.max(exact, s);
            }
            assertThat(solver.upperBound(n, M, q, grid)).as("n=" + n).isGreaterThanOrEqualTo(exact);
        }
    }

    @Test
    void theExactReferenceAgreesWithTheBruteForceUpToFiveUnits() {
        SplittableRandom rnd = new SplittableRandom(7);
        ExactJointLoss exactSolver = new ExactJointLoss();
        for (int t = 0; t < 8; t++) {
            int n = 4 + t % 2;
            double[][] q = JointLossTestCases.correlation(rnd, n, 3 + rnd.nextInt(2));
            double[] grid = randomGrid(rnd, n);
            double[][] rows = new double[n][];
            for (int u = 0; u < n; u++) {
                rows[u] = Arrays.copyOfRange(grid, u * M, u * M + M);
            }
            double brute = NaiveMarginCalculator.bruteForceJointLoss(q, rows);
            assertThat(exact(exactSolver, q, grid)).isCloseTo(brute,
                org.assertj.core.data.Offset.offset(1e-7 * Math.max(1.0, scale(grid))));
        }
    }

    @Test
    void theBoundIsTightForLinearUnits() {
        // P_u(z) = a_u z: J = sqrt(a'Qa), which the bound reaches with c = a
        SplittableRandom rnd = new SplittableRandom(8);
        JointLossSolver solver = new JointLossSolver(new GeometryCache(64), STEPS, 0, 3, 1);
        for (int t = 0; t < 40; t++) {
            int n = 2 + rnd.nextInt(30);
            double[][] q = JointLossTestCases.correlation(rnd, n, 3 + rnd.nextInt(2));
            double[] a = new double[n];
            double[] grid = new double[n * M];
            for (int u = 0; u < n; u++) {
                a[u] = (rnd.nextDouble() - 0.5) * 2e6;
                for (int j = 0; j < M; j++) {
                    grid[u * M + j] = a[u] * (j - STEPS) / (double) STEPS;
                }
            }
            double qa = 0.0;
            for (int r = 0; r < n; r++) {
                for (int c = 0; c < n; c++) {
                    qa += a[r] * q[r][c] * a[c];
                }
            }
            double j = Math.sqrt(Math.max(0.0, qa));
            double bound = solver.upperBound(n, M, flat(q), grid);
            assertThat(bound).as("n=" + n).isGreaterThanOrEqualTo(j);
            assertThat(bound).as("n=" + n + " tight").isLessThanOrEqualTo(j * (1 + 1e-6) + 1e-6);
        }
    }

    /**
     * 9 to 50 units: no exact value, but the bound must lie above every feasible joint move (sampled densely) and
     * never above the siloed sum of the units' worst grid losses (the bound at c = 0 with one-unit blocks).
     */
    @Test
    void manyUnitsLieBetweenFeasibleMovesAndTheSiloedSum() {
        SplittableRandom rnd = new SplittableRandom(9);
        JointLossSolver solver = new JointLossSolver(new GeometryCache(256), STEPS, 0, 5, 4000);
        for (int t = 0; t < 30; t++) {
            int n = 9 + rnd.nextInt(42);
            double[][] q = JointLossTestCases.correlation(rnd, n, 3 + rnd.nextInt(2));
            double[] grid = randomGrid(rnd, n);
            double[] qf = flat(q);
            double bound = solver.upperBound(n, M, qf, grid);
            double solved = solver.solve(n, qf, grid, Double.NEGATIVE_INFINITY);
            assertThat(solver.lastExact()).isFalse();
            assertThat(solved).isEqualTo(bound);
            double siloed = 0.0;
            for (int u = 0; u < n; u++) {
                double w = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < M; j++) {
                    w = Math.max(w, -grid[u * M + j]);
                }
                siloed += w;
            }
            assertThat(bound).isLessThanOrEqualTo(JointLossBound.guard(siloed));
            double feasible = JointLossTestCases.sampledLowerBound(rnd, q, grid, M, 4000);
            assertThat(bound).as("n=" + n + " #" + t).isGreaterThanOrEqualTo(feasible);
        }
    }

    @Test
    void theSameInputsGiveTheSameBitsAndExactness() {
        SplittableRandom rnd = new SplittableRandom(10);
        for (int t = 0; t < 20; t++) {
            int n = 2 + rnd.nextInt(20);
            double[][] q = JointLossTestCases.correlation(rnd, n, 3 + rnd.nextInt(2));
            double[] grid = randomGrid(rnd, n);
            JointLossSolver a = new JointLossSolver(new GeometryCache(16), STEPS, 0, 5, 4000);
            JointLossSolver b = new JointLossSolver(new GeometryCache(16), STEPS, 0, 5, 4000);
            double x = a.solve(n, flat(q), grid, Double.NEGATIVE_INFINITY);
            b.solve(n, flat(q), grid, 0.0); // another solve before must not matter
            double y = b.solve(n, flat(q), grid, Double.NEGATIVE_INFINITY);
            assertThat(Double.doubleToLongBits(y)).isEqualTo(Double.doubleToLongBits(x));
            assertThat(b.lastExact()).isEqualTo(a.lastExact());
        }
    }

    /**
     * A hot geometry (used {@link JointLossGeometry#FILTER_AFTER} times) skips the cells and faces its surface does
     * not cross; the results must be the same bits as from a fresh geometry that searches them all.
     */
    @Test
    void theHotGeometrysCellFilterChangesNoResult() {
        SplittableRandom rnd = new SplittableRandom(13);
        for (int t = 0; t < 25; t++) {
            int n = 3;
            double[][] q = JointLossTestCases.correlation(rnd, n, rnd.nextInt(7));
            JointLossGeometry hot = JointLossGeometry.of(q, STEPS, 0);
            ExactJointLoss solver = new ExactJointLoss();
            for (int k = 0; k < JointLossGeometry.FILTER_AFTER + 1; k++) {
                solver.solve(hot, randomGrid(rnd, n));
            }
            assertThat(hot.cellFilter()).isNotNull();
            for (int k = 0; k < 20; k++) {
                double[] grid = randomGrid(rnd, n);
                double cold = solver.solve(JointLossGeometry.of(q, STEPS, 0), grid);
                double warm = solver.solve(hot, grid);
                assertThat(Double.doubleToLongBits(warm)).as("n=%d Q=%s", n, Arrays.deepToString(q))
                    .isEqualTo(Double.doubleToLongBits(cold));
            }
        }
    }
}
