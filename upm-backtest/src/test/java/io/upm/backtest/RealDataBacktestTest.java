package io.upm.backtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.upm.backtest.model.RiskMatrixMarginModel;
import io.upm.backtest.strategy.BuiltInStrategy;
import io.upm.margin.params.MarginParameters;
import java.nio.file.Path;
import java.time.LocalDate;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The real Binance and Deribit history of ../shared/data/market, when it is there (it has no redistribution
 * licence and is never committed; the tests say clearly that they are skipped otherwise).
 */
class RealDataBacktestTest {
    static DailyHistory history;
    static HistoricalSnapshots snapshots;

    @BeforeAll
    static void load() {
        Path dir = TestHistories.realData().orElse(null);
        Assumptions.assumeTrue(dir != null, TestHistories.NO_REAL_DATA);
        history = DailyHistory.load(dir);
        snapshots = new HistoricalSnapshots(history);
    }

    @Test
    void theFilesReadAsSourcesMdDescribesThem() {
        assertThat(history.date(0)).isEqualTo(LocalDate.of(2017, 8, 17));
        int crash = history.indexOf(LocalDate.of(2020, 3, 12));
        assertThat(history.close("BTC", crash)).isEqualTo(4800.00);
        assertThat(history.close("BTC", crash - 1)).isEqualTo(7934.52);
        assertThat(history.close("ETH", crash)).isEqualTo(107.82);
        assertThat(history.close("ETH", history.indexOf(LocalDate.of(2018, 3, 16)))).isNaN();
        assertThat(history.close("SOL", history.indexOf(LocalDate.of(2020, 8, 11)))).isPositive();
        int dvol = history.indexOf(LocalDate.of(2021, 3, 24));
        assertThat(history.impliedVol("BTC", dvol)).isCloseTo(0.9504, within(1e-12));
        assertThat(history.impliedVol("BTC", dvol - 1)).isNaN();
        assertThat(snapshots.isImpliedVol("BTC", dvol - 1)).isFalse();
        assertThat(snapshots.vol("BTC", dvol - 1)).isBetween(0.3, 1.5);
    }

    @Test
    void theDefaultMatrixCoversTheLongPerpAndMarksTheCrashesAsItsWorstDays() {
        MarginParameters p = MarginParameters.defaults();
        BacktestSummary s = new Backtest(snapshots, p).run(BuiltInStrategy.LONG_PERP, new RiskMatrixMarginModel(p),
            LocalDate.of(2021, 4, 1), LocalDate.of(2025, 2, 28), 1, BacktestProgress.NONE).summary();
        assertThat(s.days()).isEqualTo(1429);
        assertThat(s.lastDay()).isEqualTo(LocalDate.of(2025, 2, 27));
        assertThat(s.coverage()).isGreaterThanOrEqualTo(0.99);
        assertThat(s.trafficLight()).isEqualTo(CoverageTests.Zone.green);
        assertThat(s.averageMargin()).isCloseTo(170_000, within(1.0)); // 16% scan range + 1% roll shock
        // 2021-05-19 (-14%) is among the worst days of a long BTC position
        assertThat(s.worstDays()).extracting(DayResult::date).contains(LocalDate.of(2021, 5, 18));
        assertThat(s.marginToLossQuantile()).isBetween(1.5, 2.5);
    }

    @Test
    void theWholeBtcHistoryIncludingMarch2020UsesTheRealisedVolFallback() {
        MarginParameters p = MarginParameters.defaults();
        BacktestResult r = new Backtest(snapshots, p).run(BuiltInStrategy.SHORT_STRADDLE, new RiskMatrixMarginModel(p),
            LocalDate.of(2020, 1, 1), LocalDate.of(2020, 12, 31), 1, BacktestProgress.NONE);
        assertThat(r.days()).hasSize(366);
        DayResult crash = r.days().stream().filter(d -> d.date().equals(LocalDate.of(2020, 3, 11))).findFirst()
            .orElseThrow();
        assertThat(crash.loss()).isGreaterThan(100_000);
        assertThat(crash.breach()).isEqualTo(crash.loss() > crash.margin());
    }
}
