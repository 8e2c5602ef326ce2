package io.upm.hedge;

import static io.upm.hedge.HedgeFixtures.MARKET;
import static io.upm.hedge.HedgeFixtures.PARAMS;
import static org.assertj.core.api.Assertions.assertThat;

import io.upm.margin.MarginCalculator;
import io.upm.margin.MarginReport;
import io.upm.margin.MarginResult;
import io.upm.product.Instrument;
import io.upm.product.Portfolio;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The optimiser against brute force on seeded random accounts of about 20 positions made short of margin: it is never
 * worse than the best single-instrument hedge on a grid, it reaches the goal whenever the grid does, and the MM it
 * reports is the calculator's on the hedged portfolio, bit for bit.
 */
class HedgeOptimizerPropertyTest {
    private static final TradeCostModel COSTS = TradeCostModel.DEFAULT;
    /** The solver's tolerance on cost: relative, plus a cent. */
    private static final double COST_TOLERANCE = 1e-3;

    static Stream<Arguments> accounts() {
        // seeds x units (1 to 3) x how short of margin (equity a fraction of IM)
        return LongStream.range(1, 13).mapToObj(seed -> Arguments.of(seed, 1 + (int) (seed % 3),
            0.35 + 0.05 * (seed % 12)));
    }

    @ParameterizedTest(name = "seed {0}, {1} unit(s), equity {2} x IM")
    @MethodSource("accounts")
    void healthyNeverWorseThanTheBestSingleInstrumentHedge(long seed, int units, double health) {
        Portfolio p = HedgeFixtures.shortAccount(seed, units, health);
        List<Instrument> candidates = HedgeFixtures.deltaOneCandidates(p);
        HedgePlan plan = new HedgeOptimizer(COSTS).solve(MARKET, PARAMS, p, HedgeGoal.HEALTHY, candidates, 4);
        HedgeFixtures.GridBest grid = HedgeFixtures.bruteForce(p, candidates, HedgeGoal.HEALTHY, COSTS);

        assertThat(plan.before().status().wireName()).isNotEqualTo("healthy");
        checkAgainstCalculator(p, plan);
        if (grid.reached()) {
            assertThat(plan.goalReached()).as("the grid reaches the goal with %s %s", grid.instrument(), grid.size())
                .isTrue();
            assertThat(plan.totalCost()).as("cost vs the grid's best, %s %s", grid.instrument(), grid.size())
                .isLessThanOrEqualTo(grid.cost() * (1 + COST_TOLERANCE) + 0.01);
        }
        if (plan.goalReached()) {
            assertThat(plan.after().equity()).isGreaterThanOrEqualTo(plan.after().initialMargin());
            // least scale: 0.1% less of every trade no longer meets the goal (cost minimal along the plan's direction)
            assertThat(reachedAtScale(p, plan, 0.999)).isFalse();
        }
    }

    @ParameterizedTest(name = "seed {0}, {1} unit(s), equity {2} x IM")
    @MethodSource("accounts")
    void withOptionsNeverWorseThanTheBestSingleInstrumentHedge(long seed, int units, double health) {
        Portfolio p = HedgeFixtures.shortAccount(seed + 100, units, health);
        List<Instrument> candidates = new ArrayList<>(HedgeFixtures.deltaOneCandidates(p));
        candidates.addAll(HedgeFixtures.someOptions(p));
        HedgeGoal goal = HedgeGoal.targetRatio(0.7);
        HedgePlan plan = new HedgeOptimizer(COSTS).solve(MARKET, PARAMS, p, goal, candidates, 3);
        HedgeFixtures.GridBest grid = HedgeFixtures.bruteForce(p, candidates, goal, COSTS);

        checkAgainstCalculator(p, plan);
        assertThat(plan.trades()).hasSizeLessThanOrEqualTo(3);
        if (grid.reached()) {
            assertThat(plan.goalReached()).as("the grid reaches the goal with %s %s", grid.instrument(), grid.size())
                .isTrue();
            assertThat(plan.totalCost()).as("cost vs the grid's best, %s %s", grid.instrument(), grid.size())
                .isLessThanOrEqualTo(grid.cost() * (1 + COST_TOLERANCE) + 0.01);
        }
        if (plan.goalReached()) {
            assertThat(plan.after().maintenanceMargin() / plan.after().equity()).isLessThanOrEqualTo(0.7);
        }
    }

    @ParameterizedTest(name = "seed {0}, {1} unit(s)")
    @MethodSource("accounts")
    void minMmNeverAboveTheBestSingleInstrumentHedge(long seed, int units, double health) {
        Portfolio p = HedgeFixtures.shortAccount(seed + 200, units, health);
        List<Instrument> candidates = HedgeFixtures.deltaOneCandidates(p);
        HedgePlan plan = new HedgeOptimizer(COSTS).solve(MARKET, PARAMS, p, HedgeGoal.MIN_MM, candidates, 4);
        HedgeFixtures.GridBest grid = HedgeFixtures.bruteForce(p, candidates, HedgeGoal.MIN_MM, COSTS);

        checkAgainstCalculator(p, plan);
        assertThat(plan.goalReached()).isTrue();
        assertThat(plan.after().maintenanceMargin()).isLessThanOrEqualTo(plan.before().maintenanceMargin());
        assertThat(plan.after().maintenanceMargin())
            .isLessThanOrEqualTo(grid.leastMargin() + 1e-4 * plan.before().maintenanceMargin());
    }

    /** The plan's figures are the calculator's on the hedged portfolio; the booking is the one FORMATS.md states. */
    private static void checkAgainstCalculator(Portfolio p, HedgePlan plan) {
        MarginReport after = MarginCalculator.report(MARKET, plan.hedgedPortfolio(), PARAMS);
        assertThat(after.maintenanceMargin()).isEqualTo(plan.after().maintenanceMargin());
        assertThat(after.equity()).isEqualTo(plan.after().equity());
        MarginReport before = MarginCalculator.report(MARKET, p, PARAMS);
        assertThat(before.maintenanceMargin()).isEqualTo(plan.before().maintenanceMargin());
        // the hedged portfolio is the account plus the trades, booked in order
        Portfolio rebuilt = p;
        var arrays = MarginCalculator.arraysFor(MARKET, PARAMS, List.of(plan.hedgedPortfolio()));
        double total = 0;
        for (HedgeTrade t : plan.trades()) {
            rebuilt = HedgeFixtures.book(rebuilt, arrays, t.instrument(), t.size(), COSTS);
            total += t.cost();
            assertThat(t.cost()).isPositive();
        }
        assertThat(rebuilt).isEqualTo(plan.hedgedPortfolio());
        assertThat(plan.totalCost()).isEqualTo(total);
        // trades at the mark move equity by their cost only (no haircut at these balances)
        assertThat(plan.after().equity()).isCloseTo(plan.before().equity() - total,
            org.assertj.core.data.Offset.offset(1e-6 * Math.max(1, Math.abs(plan.before().equity()))));
    }

    private static boolean reachedAtScale(Portfolio p, HedgePlan plan, double t) {
        var arrays = MarginCalculator.arraysFor(MARKET, PARAMS, List.of(plan.hedgedPortfolio()));
        Portfolio q = p;
        for (HedgeTrade tr : plan.trades()) {
            q = HedgeFixtures.book(q, arrays, tr.instrument(), tr.size() * t, COSTS);
        }
        MarginResult r = HedgeFixtures.margin(q);
        return plan.goal().isMet(r.equity(), r.maintenanceMargin(), PARAMS.initialMarginMultiplier());
    }
}
