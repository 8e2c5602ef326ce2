package io.upm.engine.liquidation;

import static io.upm.engine.liquidation.LiquidationFixtures.ARRAYS;
import static io.upm.engine.liquidation.LiquidationFixtures.VOL;
import static org.assertj.core.api.Assertions.assertThat;

import io.upm.margin.AccountMarginCalculator;
import io.upm.margin.account.AccountState;
import io.upm.testkit.SyntheticVenue;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The planner over the synthetic venue's accounts in liquidation (seeded): every step of a solvent account lowers MM,
 * and the MM and equity it announces are those of a full compute of the account after the step; no step is taken once
 * equity reaches the target, so the target is overshot by at most the last slice; slices are at most 25% of their
 * position, or the whole position below 1,000 USD; the outcome is the same, bit for bit, on a second run.
 */
class LiquidationPlannerPropertyTest {
    private static final LiquidationParameters PARAMS = LiquidationParameters.defaults();

    @ParameterizedTest
    @ValueSource(longs = {11, 12, 13})
    void everyStepLowersMmAndTheTargetIsNotOvershotByMoreThanOneSlice(long seed) {
        AccountMarginCalculator calc = new AccountMarginCalculator();
        AccountMarginCalculator check = new AccountMarginCalculator();
        LiquidationPlanner planner = new LiquidationPlanner(PARAMS, calc);
        InsuranceFund fund = InsuranceFund.of("USDC", 1e9);
        int liquidated = 0;
        int reached = 0;
        int stepsTaken = 0;
        int spots = 0;
        int bankruptSteps = 0;
        for (AccountState s : LiquidationFixtures.accounts(300, seed)) {
            double[] f = LiquidationFixtures.figures(check, s);
            if (!(f[0] < f[1]) || f[0] < 0) {
                continue; // solvent accounts in liquidation only (bankrupt ones: BankruptcyTest)
            }
            liquidated++;
            LiquidationDecision d = null;
            for (int n = 0; n < 2_000; n++) {
                AccountState before = s.copy();
                d = planner.plan(ARRAYS, s, SyntheticVenue.TIME, VOL, null, null);
                if (d.outcome() != LiquidationDecision.Outcome.STEP) {
                    break;
                }
                stepsTaken++;
                LiquidationStep step = d.step();
                assertThat(d.equityBefore()).as("a step is only taken below the target").isLessThan(d.target());
                if (d.equityBefore() >= 0.0) {
                    assertThat(d.mmAfter()).as("MM falls (solvent account)").isLessThan(d.mmBefore());
                } else {
                    bankruptSteps++; // a bankrupt account is closed out whatever MM does
                }
                boolean spot = step.isSpot(ARRAYS);
                int i = ARRAYS.instrumentIndex(step.instrument());
                int a = ARRAYS.assetIndex(step.underlying());
                double q = spot ? before.balance(a) : before.positionSize(i);
                double notional = Math.abs(q) * (spot ? ARRAYS.assetPrice(a) : InstrumentFigures.notionalPerUnit(ARRAYS, i));
                if (notional < PARAMS.wholeBelowUsd()) {
                    assertThat(step.size()).as("a small position closes whole").isEqualTo(-q);
                    spots += spot ? 1 : 0;
                } else {
                    assertThat(Math.abs(step.size())).as("slice of at most 25%").isLessThanOrEqualTo(0.25 * Math.abs(q));
                    spots += spot ? 1 : 0;
                }
                step.applyTo(s, ARRAYS, fund, MoneyFlows.NONE);
                double[] after = LiquidationFixtures.figures(check, s);
                assertThat(after[1]).as("announced MM = full compute").isEqualTo(d.mmAfter());
                assertThat(after[0]).as("announced equity = full compute").isEqualTo(d.equityAfter());
            }
            assertThat(d.outcome()).isNotEqualTo(LiquidationDecision.Outcome.STEP);
            if (d.outcome() == LiquidationDecision.Outcome.TARGET_REACHED) {
                reached++;
                assertThat(d.equityBefore()).isGreaterThanOrEqualTo(d.target());
            }
        }
        assertThat(liquidated).as("the seed gives accounts in liquidation").isGreaterThan(5);
        assertThat(stepsTaken).isGreaterThan(liquidated);
        assertThat(spots).as("coin balances are sold too").isPositive();
        System.err.println("seed " + seed + ": " + liquidated + " accounts in liquidation, " + reached
            + " reach the target, " + stepsTaken + " steps (" + spots + " spot, " + bankruptSteps + " of accounts that"
            + " became bankrupt)");
        assertThat(reached).as("most liquidations reach the target").isGreaterThan(liquidated / 2);
    }

    @ParameterizedTest
    @ValueSource(longs = {21})
    void theSameAccountsGiveTheSameStepsBitForBit(long seed) {
        assertThat(run(seed)).isEqualTo(run(seed));
    }

    private static List<String> run(long seed) {
        LiquidationPlanner planner = new LiquidationPlanner(PARAMS, new AccountMarginCalculator());
        InsuranceFund fund = InsuranceFund.of("USDC", 1e9);
        List<String> out = new ArrayList<>();
        for (AccountState s : LiquidationFixtures.accounts(120, seed)) {
            for (int n = 0; n < 200; n++) {
                LiquidationDecision d = planner.plan(ARRAYS, s, SyntheticVenue.TIME, VOL, null, null);
                if (d.outcome() != LiquidationDecision.Outcome.STEP) {
                    break;
                }
                out.add(LiquidationCommandCodec.toJsonLine(d.step()) + " " + Double.doubleToLongBits(d.mmAfter()));
                d.step().applyTo(s, ARRAYS, fund, MoneyFlows.NONE);
            }
        }
        return out;
    }
}
