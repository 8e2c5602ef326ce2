package io.upm.backtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.upm.backtest.model.RiskMatrixMarginModel;
import io.upm.backtest.strategy.BuiltInStrategy;
import io.upm.input.InputException;
import io.upm.margin.params.AssetParameters;
import io.upm.margin.params.MarginParameters;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The backtest loop on synthetic histories whose answer is known. */
class BacktestTest {
    static final MarginParameters DEFAULTS = MarginParameters.defaults();

    /** Defaults with BTC's scan range replaced and no roll shock, so that MM of a perp is exactly R x notional. */
    static MarginParameters btcRange(double range) {
        Map<String, AssetParameters> assets = new HashMap<>(DEFAULTS.assets());
        AssetParameters b = assets.get("BTC");
        assets.put("BTC", new AssetParameters(range, b.volUpShock(), b.volDownShock(), 0.0, 0.0, b.haircut(),
            b.standardFutureInitial(), b.standardFutureMaintenance()));
        MarginParameters d = DEFAULTS;
        return new MarginParameters(assets, d.otherAsset(), d.priceSteps(), d.volUpFloor(), d.volDownFloor(),
            d.volShockReferenceDays(), d.volShockExponentShort(), d.volShockExponentLong(), d.volShockMinDays(),
            d.extendedMoves(), d.shortOptionMinimum(), d.liquidityFactor(), d.correlationStressWeight(), d.offsetCap(),
            d.jointLossDirections(), d.borrowingRate(), d.initialMarginMultiplier(), d.stablecoins(),
            d.stablecoinDefaultPrice(), d.standardShortOptionMaintenance(), d.standardShortOptionInitial(),
            d.standardShortOptionInitialMin(), d.standardLoanMaintenance(), d.standardLoanInitial());
    }

    static BacktestResult run(DailyHistory h, BuiltInStrategy s, MarginParameters p, int from, int to, int horizon) {
        return new Backtest(new HistoricalSnapshots(h), p).run(s, new RiskMatrixMarginModel(p), h.date(from), h.date(to),
            horizon, BacktestProgress.NONE);
    }

    @Test
    void aMarginAtThe99PercentQuantileOfAConstantVolRandomWalkIsBreachedAboutOnePercentOfDays() {
        double dailyVol = 0.02;
        int n = 6001;
        DailyHistory h = TestHistories.randomWalks(42, n, dailyVol);
        // a long perp loses N (1 - e^r); MM = R N with R = 1 - e^{-2.326 sigma}: breach iff r < -2.326 sigma (1%)
        double range = 1 - Math.exp(-2.326348 * dailyVol);
        BacktestSummary s = run(h, BuiltInStrategy.LONG_PERP, btcRange(range), 1, n - 2, 1).summary();
        assertThat(s.days()).isEqualTo(n - 2);
        assertThat(s.averageMargin()).isCloseTo(range * BuiltInStrategy.NOTIONAL_USD, within(1e-6));
        assertThat(s.breaches()).isBetween(40, 80); // expected 60
        assertThat(s.coverage()).isBetween(0.986, 0.994);
        assertThat(s.kupiecPValue()).isGreaterThan(0.01);
        assertThat(s.christoffersenPValue()).isGreaterThan(0.01);
        assertThat(s.trafficLight()).isEqualTo(CoverageTests.Zone.green);
        assertThat(s.lossQuantile99() / BuiltInStrategy.NOTIONAL_USD).isCloseTo(range, within(0.15 * range));
        assertThat(s.marginToLossQuantile()).isBetween(0.85, 1.15);
    }

    @Test
    void halfTheMarginIsBreachedFarMoreOftenAndTheTestsSaySo() {
        double dailyVol = 0.02;
        int n = 3001;
        DailyHistory h = TestHistories.randomWalks(7, n, dailyVol);
        double range = 0.5 * (1 - Math.exp(-2.326348 * dailyVol));
        BacktestSummary s = run(h, BuiltInStrategy.LONG_PERP, btcRange(range), 1, n - 2, 1).summary();
        assertThat(s.breaches()).isGreaterThan(200); // P(r < -1.16 sigma) ~ 12%
        assertThat(s.kupiecPValue()).isLessThan(1e-6);
        assertThat(s.trafficLight()).isEqualTo(CoverageTests.Zone.red);
    }

    @Test
    void aSingleCrashDayIsABreachForAThinMarginAndNothingElseIs() {
        int n = 100;
        double[] btc = TestHistories.constant(n, 40_000);
        for (int i = 61; i < n; i++) {
            btc[i] = 28_000; // -30% from day 60 to day 61
        }
        DailyHistory h = DailyHistory.of(TestHistories.days(n), Map.of("BTC", btc),
            Map.of("BTC", TestHistories.constant(n, 0.6)));
        BacktestResult r = run(h, BuiltInStrategy.LONG_PERP, DEFAULTS, 40, 90, 1);
        BacktestSummary s = r.summary();
        assertThat(s.breaches()).isEqualTo(1);
        assertThat(s.breachDates()).containsExactly(h.date(60));
        assertThat(s.worstDays().get(0).date()).isEqualTo(h.date(60));
        assertThat(s.worstDays().get(0).loss()).isCloseTo(300_000, within(1e-6));
        assertThat(s.worstDays().get(0).margin()).isCloseTo(170_000, within(1e-6)); // R 16% + roll shock 1%
        assertThat(s.maxLoss()).isCloseTo(300_000, within(1e-6));
        assertThat(s.trafficLight()).isEqualTo(CoverageTests.Zone.green);
        // the short side of the same day gains: no breach
        BacktestSummary hedged = run(h, BuiltInStrategy.COVERED_CALL, DEFAULTS, 40, 90, 1).summary();
        assertThat(hedged.breaches()).isEqualTo(1); // the covered call is still long and loses ~30% less the call
    }

    @Test
    void aShortStraddleLosesOnACrashAndItsMarginIsBelowTheSiloedBaseline() {
        int n = 120;
        double[] btc = TestHistories.randomWalk(11, n, 40_000, 0.01);
        btc[101] = btc[100] * 0.8;
        for (int i = 102; i < n; i++) {
            btc[i] = btc[101];
        }
        double[] dvol = TestHistories.constant(n, 0.5);
        dvol[101] = 0.9;
        DailyHistory h = DailyHistory.of(TestHistories.days(n), Map.of("BTC", btc), Map.of("BTC", dvol));
        BacktestResult r = run(h, BuiltInStrategy.SHORT_STRADDLE, DEFAULTS, 60, 110, 1);
        DayResult crash = r.days().stream().filter(d -> d.date().equals(h.date(100))).findFirst().orElseThrow();
        assertThat(crash.loss()).isGreaterThan(100_000); // the put gains ~20% of notional in value, and vol jumps
        assertThat(r.summary().averageMargin()).isLessThan(r.summary().averageStandardMargin());
        assertThat(r.summary().worstDays().get(0).date()).isEqualTo(h.date(100));
    }

    @Test
    void aLongerHorizonMeasuresTheLossOverThatManyDays() {
        int n = 60;
        double[] btc = new double[n];
        for (int i = 0; i < n; i++) {
            btc[i] = 10_000 * (1 - 0.01 * i); // -1% of the first price a day
        }
        DailyHistory h = DailyHistory.of(TestHistories.days(n), Map.of("BTC", btc), Map.of());
        BacktestResult r = run(h, BuiltInStrategy.LONG_PERP, DEFAULTS, 10, 50, 5);
        DayResult d = r.days().get(0);
        assertThat(d.loss()).isCloseTo(BuiltInStrategy.NOTIONAL_USD * (1 - btc[15] / btc[10]), within(1e-6));
        assertThat(r.horizonDays()).isEqualTo(5);
    }

    @Test
    void daysWhoseHorizonEndsAfterTheDataAreNotEvaluated() {
        DailyHistory h = TestHistories.randomWalks(3, 50, 0.02);
        BacktestResult r = run(h, BuiltInStrategy.LONG_PERP, DEFAULTS, 10, 49, 3);
        assertThat(r.days()).hasSize(37);
        assertThat(r.summary().lastDay()).isEqualTo(h.date(46));
    }

    @Test
    void daysOnWhichTheStrategyCannotBeSetUpAreSkippedAndCounted() {
        int n = 80;
        double[] eth = TestHistories.randomWalk(5, n, 3000, 0.02);
        for (int i = 0; i < 30; i++) {
            eth[i] = Double.NaN;
        }
        DailyHistory h = DailyHistory.of(TestHistories.days(n),
            Map.of("BTC", TestHistories.randomWalk(4, n, 40_000, 0.02), "ETH", eth), Map.of());
        BacktestResult r = run(h, BuiltInStrategy.BTC_ETH_HEDGE, DEFAULTS, 1, 70, 1);
        // the beta needs 30 common returns: ETH returns start at index 31, so index 60 is the first day
        assertThat(r.skipped()).hasSize(59);
        assertThat(r.days().get(0).date()).isEqualTo(h.date(60));
    }

    @Test
    void badRangesAreRejectedNamingTheOption() {
        DailyHistory h = TestHistories.randomWalks(3, 50, 0.02);
        Backtest b = new Backtest(new HistoricalSnapshots(h), DEFAULTS);
        RiskMatrixMarginModel m = new RiskMatrixMarginModel(DEFAULTS);
        assertThatThrownBy(() -> b.run(BuiltInStrategy.LONG_PERP, m, h.date(20), h.date(10), 1, BacktestProgress.NONE))
            .isInstanceOf(InputException.class).hasMessageStartingWith("--from");
        assertThatThrownBy(() -> b.run(BuiltInStrategy.LONG_PERP, m, h.date(0).minusDays(1), h.date(10), 1,
            BacktestProgress.NONE)).hasMessageStartingWith("--from").hasMessageContaining("outside the data");
        assertThatThrownBy(() -> b.run(BuiltInStrategy.LONG_PERP, m, h.date(0), h.date(49).plusDays(1), 1,
            BacktestProgress.NONE)).hasMessageStartingWith("--to").hasMessageContaining("outside the data");
        assertThatThrownBy(() -> b.run(BuiltInStrategy.LONG_PERP, m, h.date(49), h.date(49), 1, BacktestProgress.NONE))
            .hasMessageStartingWith("--to").hasMessageContaining("day(s) of data after it");
        assertThatThrownBy(() -> b.run(BuiltInStrategy.LONG_PERP, m, h.date(1), h.date(10), 0, BacktestProgress.NONE))
            .hasMessageStartingWith("--horizon");
    }

    @Test
    void theProgressListenerSeesEveryDay() {
        DailyHistory h = TestHistories.randomWalks(3, 50, 0.02);
        int[] seen = new int[3];
        BacktestProgress p = new BacktestProgress() {
            @Override
            public void start(int days) {
                seen[0] = days;
            }

            @Override
            public void step() {
                seen[1]++;
            }

            @Override
            public void finish() {
                seen[2]++;
            }
        };
        new Backtest(new HistoricalSnapshots(h), DEFAULTS).run(BuiltInStrategy.LONG_PERP,
            new RiskMatrixMarginModel(DEFAULTS), h.date(5), h.date(30), 1, p);
        assertThat(seen).containsExactly(26, 26, 1);
    }

    @Test
    void theSummaryStatisticsFollowTheirDefinitions() {
        List<DayResult> days = new java.util.ArrayList<>();
        for (int i = 0; i < 200; i++) {
            double loss = i; // losses 0..199
            double margin = 100 + (i % 2);
            days.add(new DayResult(LocalDate.of(2022, 1, 1).plusDays(i), margin, 300, loss, loss > margin));
        }
        BacktestSummary s = new BacktestResult("x", "m", LocalDate.of(2022, 1, 1), LocalDate.of(2022, 7, 19), 1, days,
            List.of()).summary();
        assertThat(s.breaches()).isEqualTo(98); // losses 102..199; 100 and 101 equal their margins: no breach
        assertThat(s.coverage()).isCloseTo(1 - 98 / 200.0, within(1e-12));
        assertThat(s.averageMargin()).isCloseTo(100.5, within(1e-12));
        assertThat(s.medianMargin()).isCloseTo(100.5, within(1e-12));
        assertThat(s.maxMargin()).isEqualTo(101);
        assertThat(s.averageStandardMargin()).isEqualTo(300);
        assertThat(s.lossQuantile99()).isEqualTo(197); // rank ceil(0.99 x 200) = 198: the 198th smallest, 197
        assertThat(s.marginToLossQuantile()).isCloseTo(100.5 / 197, within(1e-12));
        assertThat(s.worstDays()).hasSize(10);
        assertThat(s.worstDays().get(0).loss()).isEqualTo(199);
        assertThat(s.trafficLight()).isEqualTo(CoverageTests.Zone.red);
    }
}
