package io.upm.engine.liquidation;

import static io.upm.engine.liquidation.LiquidationFixtures.ARRAYS;
import static io.upm.engine.liquidation.LiquidationFixtures.VOL;
import static org.assertj.core.api.Assertions.assertThat;

import io.upm.margin.AccountMarginCalculator;
import io.upm.margin.account.AccountState;
import io.upm.testkit.SyntheticVenue;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The cascade guard over many accounts in liquidation at once (seeded venue, a guard tight enough to bind): the
 * liquidated notional of an underlying in a minute never exceeds its budget; the accounts are taken worst margin
 * ratio first; and an account with a stale index is never touched.
 */
class CascadeGuardTest {
    /** A guard of 0.01% of ADV per day: about 1,700 USD of BTC per minute. */
    private static final LiquidationParameters TIGHT = new LiquidationParameters(0.001, 0.5, 0.005, 0.25, 1_000.0, 0.5,
        1e-4, 2.0, 1.0 / 24.0);

    @Test
    void theRateIsNeverExceededAndTheQueueIsWorstFirst() {
        LiquidationDriver driver = new LiquidationDriver(ARRAYS, LiquidationFixtures.accounts(120, 41),
            InsuranceFund.of("USDC", 1e9), TIGHT, true, null, MoneyFlows.NONE);
        driver.run(SyntheticVenue.TIME, 40, VOL);
        TreeMap<String, Double> used = new TreeMap<>();
        for (LiquidationDecision d : driver.steps) {
            LiquidationStep s = d.step();
            used.merge(s.underlying() + "@" + s.time().getEpochSecond() / 60, s.notionalUsd(), Double::sum);
        }
        assertThat(used).isNotEmpty();
        double fullest = 0;
        for (var e : used.entrySet()) {
            String underlying = e.getKey().substring(0, e.getKey().indexOf('@'));
            double budget = driver.guard.budgetPerMinute(ARRAYS, underlying);
            assertThat(e.getValue()).as(e.getKey()).isLessThanOrEqualTo(budget * (1 + 1e-12));
            fullest = Math.max(fullest, e.getValue() / budget);
        }
        assertThat(fullest).as("the guard binds").isGreaterThan(0.99);
        assertThat(driver.queueOrder.size()).as("liquidations spread over minutes").isGreaterThan(3);
        for (List<double[]> minute : driver.queueOrder) {
            for (int k = 1; k < minute.size(); k++) {
                assertThat(minute.get(k)[0]).as("worst ratio first").isLessThanOrEqualTo(minute.get(k - 1)[0]);
            }
        }
    }

    @Test
    void queueTiesGoByAccountIdAndBankruptAccountsFirst() {
        CascadeGuard g = new CascadeGuard(LiquidationParameters.defaults());
        g.enqueue("b", 1.5);
        g.enqueue("a", 1.5);
        g.enqueue("c", 3.0);
        g.enqueue("z", CascadeGuard.marginRatio(-5, 100));
        g.enqueue("d", 1.2);
        g.enqueue("a", 1.1); // moved
        assertThat(g.queue()).containsExactly("z", "c", "b", "d", "a");
        g.remove("c");
        assertThat(g.queue()).containsExactly("z", "b", "d", "a");
    }

    @Test
    void anAccountIsNeverLiquidatedWhileItsUnitsIndexIsStale() {
        boolean[] stale = new boolean[ARRAYS.assetCount()];
        stale[ARRAYS.assetIndex("SOL")] = true;
        List<AccountState> states = LiquidationFixtures.accounts(150, 43);
        Set<String> touchesSol = new HashSet<>();
        Set<String> inLiquidation = new HashSet<>();
        AccountMarginCalculator calc = new AccountMarginCalculator();
        for (AccountState s : states) {
            if (LiquidationPlanner.touchesStaleIndex(ARRAYS, s, stale)) {
                touchesSol.add(s.account());
            }
            double[] f = LiquidationFixtures.figures(calc, s);
            if (f[0] < f[1]) {
                inLiquidation.add(s.account());
            }
        }
        LiquidationDriver driver = new LiquidationDriver(ARRAYS, states, InsuranceFund.of("USDC", 1e9),
            LiquidationParameters.defaults(), false, stale, MoneyFlows.NONE);
        driver.run(SyntheticVenue.TIME, 3, VOL);
        Set<String> stepped = new HashSet<>();
        driver.steps.forEach(d -> stepped.add(d.step().account()));
        driver.resolutions.forEach(r -> stepped.add(r.account()));
        assertThat(stepped).as("accounts liquidated").isNotEmpty().doesNotContainAnyElementsOf(touchesSol);
        Set<String> waiting = new HashSet<>(inLiquidation);
        waiting.retainAll(touchesSol);
        assertThat(waiting).as("accounts in liquidation that wait for SOL's index").isNotEmpty();
        for (String id : waiting) {
            assertThat(driver.guard.isQueued(id)).as(id + " still queued").isTrue();
        }
        // the planner alone says so too
        LiquidationPlanner planner = new LiquidationPlanner(LiquidationParameters.defaults(), calc);
        for (AccountState s : states) {
            if (waiting.contains(s.account())) {
                assertThat(planner.plan(ARRAYS, s, SyntheticVenue.TIME, VOL, null, stale).outcome())
                    .isEqualTo(LiquidationDecision.Outcome.STALE_INDEX);
            }
        }
    }
}
