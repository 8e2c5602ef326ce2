package io.upm.engine.liquidation;

import static io.upm.engine.liquidation.LiquidationFixtures.ARRAYS;
import static io.upm.engine.liquidation.LiquidationFixtures.VENUE;
import static io.upm.engine.liquidation.LiquidationFixtures.VOL;
import static org.assertj.core.api.Assertions.assertThat;

import io.upm.engine.event.MarginCallEvent;
import io.upm.margin.AccountMarginCalculator;
import io.upm.margin.RiskArrays;
import io.upm.margin.account.AccountState;
import io.upm.pricing.ResolvedInstrument;
import org.junit.jupiter.api.Test;

/**
 * The margin-call rule: its delta-gamma P&amp;L of a unit agrees with a full repricing of the account under the same
 * move (seeded accounts, to third order); every account below MM is called, once per episode, and a new episode
 * starts after a recovery.
 */
class MarginCallRuleTest {
    private final MarginCallRule rule = new MarginCallRule(LiquidationParameters.defaults());

    @Test
    void theDeltaGammaMoveAgreesWithFullRepricing() {
        AccountMarginCalculator calc = new AccountMarginCalculator();
        int checked = 0;
        for (AccountState s : LiquidationFixtures.accounts(60, 51)) {
            calc.compute(ARRAYS, s.resolve(ARRAYS), -1);
            for (int u = 0; u < calc.unitCount(); u++) {
                int a = calc.unitAsset(u);
                String asset = ARRAYS.asset(a);
                double m = rule.relativeMove(VOL[a]);
                double ds = m * ARRAYS.assetPrice(a);
                double delta = calc.unitGreek(u, ResolvedInstrument.DELTA);
                double gamma = calc.unitGreek(u, ResolvedInstrument.GAMMA);
                double grossDelta = 0;
                for (int k = 0; k < s.positionCount(); k++) {
                    int i = s.positionInstrument(k);
                    if (ARRAYS.instrumentAsset(i) == a) {
                        double exposure = ARRAYS.isInverseDelta1(i) ? s.positionSize(i) / s.entryPrice(i) : s.positionSize(i);
                        grossDelta += Math.abs(exposure * ARRAYS.greek(i, ResolvedInstrument.DELTA));
                    }
                }
                grossDelta += Math.abs(s.balance(a));
                for (double sign : new double[] {1, -1}) {
                    RiskArrays moved = ARRAYS.withMarket(ARRAYS.market().withPriceMove(asset, sign * m));
                    double actual = AutoDeleveraging.grossValueUsd(moved, s) - AutoDeleveraging.grossValueUsd(ARRAYS, s);
                    double predicted = sign * delta * ds + 0.5 * gamma * ds * ds;
                    assertThat(actual).as(s.account() + " " + asset + " " + sign)
                        .isCloseTo(predicted, org.assertj.core.data.Offset.offset(0.02 * grossDelta * ds + 1e-6));
                    checked++;
                }
            }
        }
        assertThat(checked).isGreaterThan(100);
        assertThat(rule.relativeMove(0.5)).isCloseTo(2 * 0.5 * Math.sqrt(1.0 / 24 / 365), org.assertj.core.data.Offset.offset(1e-15));
    }

    @Test
    void everyAccountBelowMmIsCalledOncePerEpisode() {
        AccountMarginCalculator calc = new AccountMarginCalculator();
        int called = 0;
        for (AccountState s : LiquidationFixtures.accounts(200, 52)) {
            calc.compute(ARRAYS, s.resolve(ARRAYS), -1);
            double e = calc.equity();
            double mm = calc.maintenanceMargin();
            double shortfall = rule.shortfallUsd(ARRAYS, calc, VOL);
            assertThat(shortfall).isGreaterThanOrEqualTo(Math.max(0, mm - e));
            MarginCallEvent first = rule.check(1, s.account(), e, mm, shortfall);
            MarginCallEvent second = rule.check(2, s.account(), e, mm, shortfall);
            assertThat(second).as("once per episode").isNull();
            if (e < mm) {
                assertThat(first).as(s.account() + " below MM is called").isNotNull();
                assertThat(first.shortfallAt2Sigma()).isEqualTo(shortfall);
                called++;
            }
            if (shortfall > 0) {
                assertThat(rule.check(3, s.account(), e, mm, 0.0)).as("recovered").isNull();
                assertThat(rule.inEpisode(s.account())).isFalse();
                assertThat(rule.check(4, s.account(), e, mm, shortfall)).as("a new episode").isNotNull();
            } else {
                assertThat(first).isNull();
            }
        }
        assertThat(called).isGreaterThan(5);
        // an account above MM, but not by a 2-sigma hour of its 10 BTC of delta, is called too
        AccountState s = new AccountState("directional");
        int perp = ARRAYS.instrumentIndex("BTC_USDC-PERPETUAL");
        s.setPosition(perp, 10.0, ARRAYS.instrument(perp).mark());
        double mm = calc.compute(ARRAYS, s.resolve(ARRAYS), -1);
        s.addBalance(ARRAYS.assetIndex("USDC"), mm + 1.0);
        calc.compute(ARRAYS, s.resolve(ARRAYS), -1);
        assertThat(calc.equity()).isGreaterThan(calc.maintenanceMargin());
        double move = rule.relativeMove(VOL[ARRAYS.assetIndex("BTC")]) * ARRAYS.assetPrice(ARRAYS.assetIndex("BTC"));
        assertThat(rule.shortfallUsd(ARRAYS, calc, VOL)).isCloseTo(10.0 * ARRAYS.instrument(perp).mark()
            / ARRAYS.assetPrice(ARRAYS.assetIndex("BTC")) * move - 1.0, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(rule.shortfallUsd(ARRAYS, calc, VOL)).isPositive();
    }
}
