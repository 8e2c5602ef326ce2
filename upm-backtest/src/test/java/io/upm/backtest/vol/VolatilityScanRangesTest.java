package io.upm.backtest.vol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.upm.backtest.DailyHistory;
import io.upm.input.InputException;
import io.upm.margin.params.MarginParameters;
import io.upm.backtest.vol.VolatilityScanRangeSettings.Multiplier;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.junit.jupiter.api.Test;

/**
 * Volatility-aware scan ranges: they scale with the forecast vol and the horizon, and respect the floor, the
 * buffer, the stressed weight, the static floor and the cap.
 */
class VolatilityScanRangesTest {
    static final DailyHistory HISTORY = SyntheticHistories.regimeHistory(21L, 1800, 0.8, 900, 600);
    static final double Z99 = new NormalDistribution().inverseCumulativeProbability(0.99);
    /** NORMAL multiplier, no buffer, no floor: the bare model range. */
    static final VolatilityScanRangeSettings BARE = VolatilityScanRangeSettings.defaults()
        .withMultiplier(Multiplier.NORMAL).withBuffer(0.0, 20).withFloorLookbackDays(0);

    static double[] returns(String asset) {
        double[] r = new double[HISTORY.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = HISTORY.logReturn(asset, i);
        }
        return r;
    }

    @Test
    void theModelRangeIsTheNormalQuantileTimesTheForecastVolTimesTheSquareRootOfTheHorizon() {
        double[] v = EwmaVolatility.riskMetrics().variances(returns("BTC"));
        VolatilityScanRanges one = new VolatilityScanRanges(HISTORY, BARE);
        VolatilityScanRanges four = new VolatilityScanRanges(HISTORY, BARE.withHorizonDays(4));
        for (int i = 0; i < HISTORY.size(); i++) {
            if (Double.isNaN(v[i + 1])) {
                assertThat(one.scanRange("BTC", i)).isNaN();
                continue;
            }
            double expected = Z99 * Math.sqrt(v[i + 1]);
            assertThat(one.scanRange("BTC", i)).isCloseTo(expected, within(1e-12));
            assertThat(one.dailyVol("BTC", i)).isCloseTo(Math.sqrt(v[i + 1]), within(1e-15));
            assertThat(four.scanRange("BTC", i)).isCloseTo(2 * expected, within(1e-12));
        }
        // stress (days 700..800 at 6% a day against 2.5%): the range follows the vol up
        assertThat(one.scanRange("BTC", 795) / one.scanRange("BTC", 650)).isBetween(1.7, 3.5);
    }

    @Test
    void theFloorFromTheLongLookbackBoundsTheRangeFromBelow() {
        VolatilityScanRangeSettings s = BARE.withFloorLookbackDays(365);
        VolatilityScanRanges r = new VolatilityScanRanges(HISTORY, s);
        double[] ret = returns("BTC");
        int floored = 0;
        for (int i = 400; i < HISTORY.size(); i++) {
            double sum = 0.0;
            int c = 0;
            for (int k = i - 364; k <= i; k++) {
                sum += ret[k] * ret[k];
                c++;
            }
            double floor = Z99 * Math.sqrt(sum / c);
            assertThat(r.floorScanRange("BTC", i)).isCloseTo(floor, within(1e-12));
            assertThat(r.scanRange("BTC", i)).isCloseTo(Math.max(floor, r.modelScanRange("BTC", i)), within(1e-12));
            if (floor > r.modelScanRange("BTC", i)) {
                floored++;
            }
        }
        // after the stress, a year's lookback keeps the range above the calm model range for months
        assertThat(floored).isGreaterThan(100);
    }

    @Test
    void theBufferIsHeldInCalmReleasedInStressAndRebuiltGradually() {
        double b = 0.25;
        int rebuild = 20;
        VolatilityScanRanges bare = new VolatilityScanRanges(HISTORY, BARE);
        VolatilityScanRanges buffered = new VolatilityScanRanges(HISTORY, BARE.withBuffer(b, rebuild));
        double previous = Double.NaN;
        int released = 0;
        for (int i = 0; i < HISTORY.size(); i++) {
            double core = bare.scanRange("ETH", i);
            double used = buffered.scanRange("ETH", i);
            if (Double.isNaN(core)) {
                assertThat(used).isNaN();
                continue;
            }
            assertThat(used).isBetween(core * (1 - 1e-12), (1 + b) * core * (1 + 1e-12));
            if (!Double.isNaN(previous) && used > previous * (1 + 1e-12)) {
                // a rise is at most the rebuild step, unless the model range itself is above yesterday's range
                assertThat(used).isLessThanOrEqualTo(Math.max(core, previous + b * core / rebuild) * (1 + 1e-12));
            }
            if (used < (1 + b) * core * (1 - 1e-9)) {
                released++;
            }
            previous = used;
        }
        assertThat(released).isGreaterThan(10);
        // at the onset of the stress, the buffered range rises by less than the model range
        double modelRise = bare.scanRange("ETH", 720) / bare.scanRange("ETH", 699);
        double usedRise = buffered.scanRange("ETH", 720) / buffered.scanRange("ETH", 699);
        assertThat(usedRise).isLessThan(modelRise);
        // long after it, in calm, the full buffer is back
        assertThat(buffered.scanRange("ETH", 1250) / bare.scanRange("ETH", 1250)).isCloseTo(1 + b, within(1e-9));
    }

    @Test
    void aStressedWeightRaisesCalmRangesAndAnEmpiricalMultiplierIsNeverBelowTheNormalOne() {
        VolatilityScanRanges plain = new VolatilityScanRanges(HISTORY, BARE);
        VolatilityScanRanges stressed = new VolatilityScanRanges(HISTORY, BARE.withStressedWeight(0.25, 60));
        for (int i = 100; i < HISTORY.size(); i++) {
            assertThat(stressed.scanRange("BTC", i)).isGreaterThanOrEqualTo(plain.scanRange("BTC", i) * (1 - 1e-12));
        }
        assertThat(stressed.scanRange("BTC", 1250) / plain.scanRange("BTC", 1250)).isGreaterThan(1.3);

        VolatilityScanRanges empirical = new VolatilityScanRanges(HISTORY, BARE.withMultiplier(Multiplier.EMPIRICAL));
        for (int i = 0; i < HISTORY.size(); i++) {
            if (!Double.isNaN(plain.scanRange("BTC", i))) {
                assertThat(empirical.multiplier("BTC", i)).isGreaterThanOrEqualTo(Z99);
                assertThat(empirical.scanRange("BTC", i) / plain.scanRange("BTC", i))
                    .isCloseTo(empirical.multiplier("BTC", i) / Z99, within(1e-9));
            }
        }
        // regime switches make EWMA residuals fat-tailed: the empirical multiplier exceeds the normal quantile
        assertThat(empirical.multiplier("BTC", 1700)).isGreaterThan(Z99 + 0.05);
        // before 250 residuals it is the normal quantile
        assertThat(empirical.multiplier("BTC", 100)).isEqualTo(Z99);
    }

    @Test
    void parametersReplaceOnlyTheScanRangesWithTheStaticFloorAndTheCapWhenConfigured() {
        MarginParameters base = MarginParameters.defaults();
        VolatilityScanRanges r = new VolatilityScanRanges(HISTORY, BARE);
        int day = 1200;
        MarginParameters p = r.parameters(base, day);
        assertThat(p.asset("BTC").scanRange()).isEqualTo(r.scanRange("BTC", day)).isLessThan(0.16);
        assertThat(p.asset("BTC").withScanRange(0.16)).isEqualTo(base.asset("BTC"));
        assertThat(p.asset("USDC")).isEqualTo(base.asset("USDC"));
        // putting the static ranges back gives the base parameters: nothing else changed
        assertThat(VolatilityScanRanges.withScanRanges(p, java.util.Map.of("BTC", 0.16, "ETH", 0.18, "SOL", 0.25)))
            .isEqualTo(base);
        // SOL has no history before day 900: its static range stays
        assertThat(r.parameters(base, 500).asset("SOL").scanRange()).isEqualTo(0.25);

        VolatilityScanRanges floored = new VolatilityScanRanges(HISTORY, BARE.withFloorAtStatic(true));
        for (int i = 0; i < HISTORY.size(); i += 7) {
            assertThat(floored.parameters(base, i).asset("BTC").scanRange()).isGreaterThanOrEqualTo(0.16);
            assertThat(floored.parameters(base, i).asset("ETH").scanRange()).isGreaterThanOrEqualTo(0.18);
        }
        VolatilityScanRangeSettings wide = new VolatilityScanRangeSettings(VolatilityScanRangeSettings.Model.EWMA, 0.94,
            30, 1461, 30, 0.99, 30, Multiplier.NORMAL, 1461, 0.0, 20, 0.0, 60, 0, false, 0.3);
        VolatilityScanRanges capped = new VolatilityScanRanges(HISTORY, wide);
        double max = 0.0;
        for (int i = 0; i < HISTORY.size(); i++) {
            if (!Double.isNaN(capped.scanRange("SOL", i))) {
                max = Math.max(max, capped.scanRange("SOL", i));
            }
        }
        assertThat(max).isEqualTo(0.3);
    }

    @Test
    void garchRangesFollowTheVolAndFallBackToEwmaEarly() {
        VolatilityScanRangeSettings s = BARE.withModel(VolatilityScanRangeSettings.Model.GARCH);
        VolatilityScanRanges garch = new VolatilityScanRanges(HISTORY, s);
        VolatilityScanRanges ewma = new VolatilityScanRanges(HISTORY, BARE);
        // before 250 returns: EWMA
        assertThat(garch.scanRange("BTC", 200)).isEqualTo(ewma.scanRange("BTC", 200));
        // after: its own forecast, higher in stress than in calm
        assertThat(garch.scanRange("BTC", 790) / garch.scanRange("BTC", 650)).isGreaterThan(1.5);
        assertThat(garch.scanRange("BTC", 1700)).isBetween(0.5 * Z99 * 0.025, 2.0 * Z99 * 0.025);
    }

    @Test
    void settingsAreValidatedNamingTheOption() {
        assertThatThrownBy(() -> VolatilityScanRangeSettings.defaults().withBuffer(-0.1, 20))
            .isInstanceOf(InputException.class).hasMessageContaining("buffer");
        assertThatThrownBy(() -> VolatilityScanRangeSettings.defaults().withFloorLookbackDays(10))
            .isInstanceOf(InputException.class).hasMessageContaining("floorLookbackDays");
        assertThatThrownBy(() -> VolatilityScanRangeSettings.defaults().withHorizonDays(0))
            .isInstanceOf(InputException.class).hasMessageContaining("horizonDays");
    }
}
