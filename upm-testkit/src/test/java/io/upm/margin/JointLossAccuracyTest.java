package io.upm.margin;

import static org.assertj.core.api.Assertions.assertThat;

import io.upm.margin.joint.ExactJointLoss;
import io.upm.margin.joint.JointLossTestCases;
import io.upm.margin.joint.JointLossGeometry;
import io.upm.margin.params.MarginParameters;
import io.upm.testkit.NaiveMarginCalculator;
import io.upm.testkit.SyntheticVenue;
import io.upm.market.MarketSnapshot;
import io.upm.product.Instrument;
import io.upm.product.InstrumentNames;
import io.upm.product.Portfolio;
import io.upm.product.Position;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The exact joint-loss solvers ({@link ExactJointLoss}) against the exhaustive {@link NaiveMarginCalculator#bruteForceJointLoss} on
 * seeded random grids (linear, convex, concave, straddle-like and jagged P_u) and random valid correlation
 * matrices of 2, 3 and 4 units, near-singular and singular ones included (all ones, 1 - 1e-8, low-rank,
 * rho = -1). The solver only evaluates feasible joint moves, so it can never exceed the true maximum; MODEL.md
 * asks it to be within 1% below, and this test asks 0.5% of max(|J|, 1% of the largest |P_u|).
 */
class JointLossAccuracyTest {
    /** Relative accuracy asked of the solver. */
    static final double ACCURACY = 0.005;
    /** The small scale below which |J| is not used as the reference of the relative error, as a share of max |P|. */
    static final double SMALL_SCALE = 0.01;

    /** One solved case. */
    record Case(String label, double[][] q, double[][] grid, double solver, double brute) {
        double scale() {
            double maxP = 0.0;
            for (double[] p : grid) {
                for (double x : p) {
                    maxP = Math.max(maxP, Math.abs(x));
                }
            }
            return Math.max(Math.abs(brute), SMALL_SCALE * maxP);
        }

        double shortfall() {
            return (brute - solver) / scale();
        }

        String describe() {
            return String.format(Locale.ROOT, "%s: solver %.10g, brute force %.10g, shortfall %.3f%% of %.6g%n"
                + "  Q = %s%n  P = %s", label, solver, brute, 100 * shortfall(), scale(), Arrays.deepToString(q),
                Arrays.deepToString(grid));
        }
    }

    private static List<Case> randomCases;

    /** The random cases, solved once for the whole class (the brute force takes 10 to 50 ms a case). */
    static synchronized List<Case> randomCases() {
        if (randomCases == null) {
            List<Case> cases = new ArrayList<>();
            SplittableRandom rnd = new SplittableRandom(2025);
            ExactJointLoss solver = new ExactJointLoss();
            int[] counts = {0, 0, 120, 120, 50};
            for (int n = 2; n <= 4; n++) {
                for (int t = 0; t < counts[n]; t++) {
                    int kind = rnd.nextInt(7);
                    double[][] q = correlation(rnd, n, kind);
                    double[][] grid = new double[n][];
                    StringBuilder shapes = new StringBuilder();
                    for (int u = 0; u < n; u++) {
                        int shape = rnd.nextInt(6);
                        grid[u] = shape(rnd, shape);
                        shapes.append(u == 0 ? "" : ",").append(SHAPES[shape]);
                    }
                    String label = "n=" + n + " #" + t + " Q " + CORRELATIONS[kind] + ", P " + shapes;
                    cases.add(solve(solver, label, q, grid));
                }
            }
            randomCases = cases;
        }
        return randomCases;
    }

    static Case solve(ExactJointLoss solver, String label, double[][] q, double[][] grid) {
        int n = q.length;
        int m = grid[0].length;
        double[] flat = new double[n * m];
        for (int u = 0; u < n; u++) {
            System.arraycopy(grid[u], 0, flat, u * m, m);
        }
        double js = solver.solve(JointLossGeometry.of(q, (m - 1) / 2, 0), flat);
        return new Case(label, q, grid, js, NaiveMarginCalculator.bruteForceJointLoss(q, grid));
    }

    @Test
    void theSolverNeverExceedsTheTrueMaximum() {
        for (Case c : randomCases()) {
            assertThat(c.solver()).as(c.describe()).isLessThanOrEqualTo(c.brute() + 1e-9 * c.scale());
        }
    }

    @Test
    void twoAndThreeUnitsAreWithinHalfAPercentOfTheBruteForce() {
        withinHalfAPercent(2, 3);
    }

    /**
     * Four units within 0.5% of the brute force. Regression: a sampled search alone (coarse directions, then a
     * pattern search) stopped on ridges of the piecewise-linear objective where some z_u crosses a grid point,
     * missing the maximum by up to 5.4%; the solver now ends with an exact branch and bound over the grid's
     * faces.
     */
    @Test
    void fourUnitsAreWithinHalfAPercentOfTheBruteForce() {
        withinHalfAPercent(4, 4);
    }

    private static void withinHalfAPercent(int from, int to) {
        List<Case> failures = new ArrayList<>();
        Case worst = null;
        StringBuilder summary = new StringBuilder();
        for (int n = from; n <= to; n++) {
            int total = 0;
            double maxShortfall = 0.0;
            double maxDifference = 0.0;
            int failed = 0;
            for (Case c : randomCases()) {
                if (c.q().length != n) {
                    continue;
                }
                total++;
                maxShortfall = Math.max(maxShortfall, c.shortfall());
                maxDifference = Math.max(maxDifference, Math.abs(c.shortfall()));
                if (worst == null || c.shortfall() > worst.shortfall()) {
                    worst = c;
                }
                if (c.shortfall() > ACCURACY) {
                    failures.add(c);
                    failed++;
                }
            }
            summary.append(String.format(Locale.ROOT, "n=%d: %d of %d beyond 0.5%%, worst shortfall %.3f%%, "
                + "largest |difference| %.1e of scale; ", n, failed, total, 100 * maxShortfall, maxDifference));
        }
        System.out.println("[JointLossAccuracyTest] " + summary);
        assertThat(failures.stream().map(c -> String.format(Locale.ROOT, "%s: %.3f%%", c.label(), 100 * c.shortfall()))
            .toList()).as(summary + "\nworst case " + worst.describe()).isEmpty();
    }

    @Test
    void linearUnitsHaveTheClosedFormSqrtOfAQA() {
        // P_u(z) = a_u z: the largest loss over the ellipsoid is sqrt(a' Q a)
        SplittableRandom rnd = new SplittableRandom(11);
        ExactJointLoss solver = new ExactJointLoss();
        for (int t = 0; t < 60; t++) {
            int n = 2 + t % 3;
            double[][] q = correlation(rnd, n, rnd.nextInt(7));
            double[] a = new double[n];
            double[][] grid = new double[n][9];
            for (int u = 0; u < n; u++) {
                a[u] = (rnd.nextDouble() - 0.5) * 2e6;
                for (int j = 0; j < 9; j++) {
                    grid[u][j] = a[u] * (j - 4) / 4.0;
                }
            }
            double qa = 0.0;
            for (int r = 0; r < n; r++) {
                for (int c = 0; c < n; c++) {
                    qa += a[r] * q[r][c] * a[c];
                }
            }
            double exact = Math.sqrt(Math.max(qa, 0.0));
            Case c = solve(solver, "linear #" + t, q, grid);
            assertThat(c.brute()).as(c.describe()).isCloseTo(exact, org.assertj.core.data.Offset.offset(1e-9 * c.scale()
                + 1e-6));
            assertThat(c.solver()).as(c.describe()).isBetween(exact - ACCURACY * c.scale(), exact + 1e-9 * c.scale());
        }
    }

    @Test
    void theBruteForceIsExactOnCasesWithAKnownAnswer() {
        double[][] identity = {{1, 0}, {0, 1}};
        // two short straddles, loss b |z_u|: the largest b (|z1| + |z2|) on the unit disc is b sqrt 2
        double[][] straddles = {vee(-1000), vee(-1000)};
        assertThat(NaiveMarginCalculator.bruteForceJointLoss(identity, straddles)).isCloseTo(1000 * Math.sqrt(2),
            org.assertj.core.data.Offset.offset(1e-9));
        // perfectly correlated units move together: z1 = z2 = t, the loss is a grid vertex's
        double[][] ones = {{1, 1, 1}, {1, 1, 1}, {1, 1, 1}};
        SplittableRandom rnd = new SplittableRandom(12);
        for (int t = 0; t < 20; t++) {
            double[][] grid = {shape(rnd, 5), shape(rnd, 5), shape(rnd, 5)};
            double best = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < 9; j++) {
                best = Math.max(best, -(grid[0][j] + grid[1][j] + grid[2][j]));
            }
            assertThat(NaiveMarginCalculator.bruteForceJointLoss(ones, grid)).isCloseTo(best,
                org.assertj.core.data.Offset.offset(1e-9 * Math.abs(best) + 1e-9));
        }
        // rho = -1: z2 = -z1
        double[][] minusOne = {{1, -1}, {-1, 1}};
        double[][] grid = {shape(rnd, 5), shape(rnd, 5)};
        double best = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < 9; j++) {
            best = Math.max(best, -(grid[0][j] + grid[1][8 - j]));
        }
        assertThat(NaiveMarginCalculator.bruteForceJointLoss(minusOne, grid)).isCloseTo(best,
            org.assertj.core.data.Offset.offset(1e-9 * Math.abs(best) + 1e-9));
        // a long straddle loses most at z = 0, inside the ellipsoid: a grid vertex
        double[][] longStraddles = {vee(1000), vee(1000)};
        assertThat(NaiveMarginCalculator.bruteForceJointLoss(identity, longStraddles)).isCloseTo(2 * 1000.0,
            org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void realisticAccountsAreWithinHalfAPercent() {
        SyntheticVenue venue = SyntheticVenue.create(20251125L);
        MarginParameters params = MarginParameters.defaults();
        RiskArrays arrays = RiskArrays.build(venue.market(), params, venue.universe(),
            venue.universe().stream().map(Instrument::name).toList());
        AccountMarginCalculator calc = new AccountMarginCalculator();
        int checked = 0;
        for (Portfolio p : venue.accounts(150, 31)) {
            calc.computeDetailed(arrays, ResolvedPortfolio.resolve(p, arrays));
            int n = calc.unitCount();
            if (n < 2) {
                continue;
            }
            List<String> names = new ArrayList<>();
            double[][] grid = new double[n][9];
            for (int u = 0; u < n; u++) {
                names.add(arrays.asset(calc.unitAsset(u)));
                for (int j = 0; j < 9; j++) {
                    grid[u][j] = Math.min(calc.cell(u, j, 0), Math.min(calc.cell(u, j, 1), calc.cell(u, j, 2)));
                }
            }
            double[][] rho = venue.market().correlations().matrix(names);
            double[][] stressed = new double[n][n];
            for (int r = 0; r < n; r++) {
                for (int c = 0; c < n; c++) {
                    stressed[r][c] = 0.5 * rho[r][c] + 0.5;
                }
            }
            Case plain = new Case(p.account() + " J(rho)", rho, grid, calc.jointLoss(),
                NaiveMarginCalculator.bruteForceJointLoss(rho, grid));
            Case stress = new Case(p.account() + " J(Q_stress)", stressed, grid, calc.stressedJointLoss(),
                NaiveMarginCalculator.bruteForceJointLoss(stressed, grid));
            for (Case c : List.of(plain, stress)) {
                assertThat(c.shortfall()).as(c.describe()).isLessThanOrEqualTo(ACCURACY);
                assertThat(c.solver()).as(c.describe()).isLessThanOrEqualTo(c.brute() + 1e-9 * c.scale());
            }
            checked++;
        }
        assertThat(checked).isGreaterThan(50);
    }

    /**
     * Seven units of long straddles: each unit loses most with prices unchanged and vols down, so the joint
     * loss is at z = 0, the centre of the ellipsoid, where J = sum of W. The solver enumerates the grid
     * vertices inside the ellipsoid only while 9^n &lt;= 2,000,000, i.e. up to 6 units; from 7 units on it
     * saw the surface only and missed the centre (J(rho) 275 USD instead of 322, -15%); the centre and the
     * faces are now covered by the vertex ascent and the branch and bound.
     */
    @Test
    void sevenUnitsOfLongVolatilityLoseMostAtTheCentre() {
        String[] assets = {"ADA", "AVAX", "BTC", "DOGE", "ETH", "SOL", "XRP"};
        MarketSnapshot.Builder b = MarketSnapshot.builder(Instant.parse("2025-11-25T08:00:00Z"));
        List<Position> ps = new ArrayList<>();
        for (String a : assets) {
            b.price(a, 100.0).flatVol(a, 0.8);
            ps.add(Position.of(InstrumentNames.parse(a + "_USDC-26DEC25-100-C", "x"), 10, Double.NaN, "x"));
            ps.add(Position.of(InstrumentNames.parse(a + "_USDC-26DEC25-100-P", "x"), 10, Double.NaN, "x"));
        }
        MarginReport r = MarginCalculator.report(b.build(), new Portfolio("seven", Map.of("USDC", 1e6), ps),
            MarginParameters.defaults());
        double sumW = 0.0;
        double[][] grid = new double[assets.length][9];
        int u = 0;
        for (MarginReport.Unit unit : r.units().values()) {
            sumW += unit.worstLoss();
            for (int j = 0; j < 9; j++) {
                grid[u][j] = Math.min(unit.pnl()[j][0], Math.min(unit.pnl()[j][1], unit.pnl()[j][2]));
            }
            u++;
        }
        double[][] identity = new double[assets.length][assets.length];
        for (int k = 0; k < assets.length; k++) {
            identity[k][k] = 1.0;
        }
        assertThat(NaiveMarginCalculator.bruteForceJointLoss(identity, grid)).isCloseTo(sumW,
            org.assertj.core.data.Percentage.withPercentage(1e-9));
        assertThat(r.crossUnit().jointLoss()).as("J(rho) of 7 long-straddle units, true value sum W = " + sumW)
            .isGreaterThanOrEqualTo(sumW * (1 - ACCURACY));
        assertThat(r.crossUnit().charge()).as("CU").isGreaterThanOrEqualTo(sumW * (1 - ACCURACY));
    }

    /**
     * A well-conditioned 4 x 4 correlation matrix (smallest eigenvalue above 0.05) and smooth P_u (a linear
     * unit, a short straddle, two long-straddle-like units). Regression: the sampled search stopped 4.6% below
     * the true joint loss (8979.17 against 9413.43 USD).
     */
    @Test
    void aWellConditionedFourUnitCase() {
        double[][] q = {
            {1.0, -0.27, -0.54, -0.72},
            {-0.27, 1.0, 0.45, 0.06},
            {-0.54, 0.45, 1.0, 0.73},
            {-0.72, 0.06, 0.73, 1.0}};
        double[][] grid = {
            {5162.0, 3872.0, 2581.0, 1291.0, 0.0, -1291.0, -2581.0, -3872.0, -5162.0},
            {-3983.0, -2416.0, -849.0, 719.0, 2286.0, 43.0, -2199.0, -4442.0, -6684.0},
            {5157.0, 2998.0, 840.0, -1318.0, -3476.0, 159.0, 3794.0, 7429.0, 11064.0},
            {2968.0, 2057.0, 1145.0, 234.0, -678.0, -460.0, -242.0, -24.0, 194.0}};
        Case c = solve(new ExactJointLoss(), "well-conditioned 4 units", q, grid);
        assertThat(c.brute()).isCloseTo(9413.427, org.assertj.core.data.Offset.offset(0.01));
        assertThat(c.shortfall()).as(c.describe()).isLessThanOrEqualTo(ACCURACY);
    }

    // ---------------------------------------------------------------------------------------------

    static final String[] SHAPES = JointLossTestCases.SHAPES;
    static final String[] CORRELATIONS = JointLossTestCases.CORRELATIONS;

    static double[] shape(SplittableRandom r, int kind) {
        return JointLossTestCases.shape(r, kind);
    }

    static double[][] correlation(SplittableRandom r, int n, int kind) {
        return JointLossTestCases.correlation(r, n, kind);
    }

    private static double[] vee(double b) {
        return JointLossTestCases.vee(b);
    }
}
