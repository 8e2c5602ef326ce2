package io.upm.backtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.upm.backtest.carry.MarketCarry;
import io.upm.backtest.feed.BarInterval;
import io.upm.backtest.model.RiskMatrixMarginModel;
import io.upm.backtest.strategy.BuiltInStrategy;
import io.upm.margin.params.MarginParameters;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Real carry and intraday horizons on the real data of ../shared/data/market, when it is there (skipped with a
 * message otherwise: the data have no redistribution licence and are never committed).
 */
class RealDataCarryTest {
    static final MarginParameters P = MarginParameters.defaults();
    static final LocalDate FROM = LocalDate.of(2021, 4, 1);
    static final LocalDate TO = LocalDate.of(2025, 2, 28);
    static Path dir;
    static DailyHistory history;
    static MarketCarry carry;

    @BeforeAll
    static void load() {
        dir = TestHistories.realData().orElse(null);
        Assumptions.assumeTrue(dir != null, TestHistories.NO_REAL_DATA);
        history = DailyHistory.load(dir);
        carry = MarketCarry.load(dir);
    }

    static BacktestSummary run(BuiltInStrategy s, MarketCarry c) {
        return new Backtest(new HistoricalSnapshots(history, c), P).run(s, new RiskMatrixMarginModel(P), FROM, TO, 1,
            BacktestProgress.NONE).summary();
    }

    @Test
    void withRealCarryCashAndCarryAndCalendarSpreadHaveAMarginToLossQuantile() {
        for (BuiltInStrategy s : List.of(BuiltInStrategy.CASH_AND_CARRY, BuiltInStrategy.CALENDAR_SPREAD)) {
            BacktestSummary flat = run(s, null);
            BacktestSummary real = run(s, carry);
            assertThat(flat.marginToLossQuantile()).as(s.name() + " flat").isNull();
            assertThat(real.marginToLossQuantile()).as(s.name() + " real").isNotNull().isGreaterThan(1.0);
            assertThat(real.lossQuantile99()).as(s.name()).isGreaterThan(1_000.0); // basis moves of 0.1% and more
            assertThat(real.days()).isEqualTo(1429);
        }
    }

    @Test
    void theFundingFilesReadAsSourcesMdDescribesThem() {
        var btc = carry.funding("BTC");
        // BitMEX from 2016-05-14T12, Binance from 2019-09-10T08 to 2025-02-28T16
        assertThat(java.time.Instant.ofEpochMilli(btc.firstMillis())).hasToString("2016-05-14T12:00:00Z");
        assertThat(java.time.Instant.ofEpochMilli(btc.lastMillis())).hasToString("2025-02-28T16:00:00Z");
        assertThat(btc.rate(btc.size() - 1)).isEqualTo(-3.73e-06);
        // funding paid by longs over 2021-04..2025-02 on Binance: positive on average (longs pay)
        long a = LocalDate.of(2021, 4, 1).atStartOfDay(java.time.ZoneOffset.UTC).toInstant().toEpochMilli();
        long b = LocalDate.of(2025, 3, 1).atStartOfDay(java.time.ZoneOffset.UTC).toInstant().toEpochMilli();
        assertThat(btc.count(a, b)).isBetween(4_200, 4_400); // three a day over 1,430 days
        assertThat(btc.sum(a, b)).isPositive();
    }

    @Test
    void theLongPerpLossAtFourHoursIsTheBarMoveOfTheScanCoverage() {
        LocalDate from = LocalDate.of(2022, 11, 1);
        LocalDate to = LocalDate.of(2022, 11, 30);
        IntradayBars bars = IntradayBars.load(dir, BarInterval.H4);
        BacktestResult r = new IntradayBacktest(new HistoricalSnapshots(history), bars, P)
            .run(BuiltInStrategy.LONG_PERP, new RiskMatrixMarginModel(P), from, to, BacktestProgress.NONE);
        ScanRangeCoverage.Windows w = ScanRangeCoverage.windows(bars.series("BTC"), BarInterval.H4.millis(), 1, from, to);
        assertThat(r.days()).hasSize(w.moves().length).hasSize(180);
        for (int i = 0; i < w.moves().length; i++) {
            assertThat(r.days().get(i).time().toEpochMilli()).isEqualTo(w.startMillis()[i]);
            assertThat(r.days().get(i).loss()).isCloseTo(-BuiltInStrategy.NOTIONAL_USD * w.moves()[i], within(1e-6));
        }
        // FTX: the worst 4 hours of the month are on 8-9 November 2022
        assertThat(r.summary().worstDays().get(0).date()).isBetween(LocalDate.of(2022, 11, 8), LocalDate.of(2022, 11, 9));
    }

    @Test
    void dailyWindowsAreTheDaysOfTheOneDayBacktestAndCoverageGrowsWithTheRange() {
        double[] ranges = {0.02, 0.04, 0.06, 0.09, 0.12, 0.16};
        for (Horizon h : List.of(Horizon.ofDays(1), Horizon.parse("4h"), Horizon.parse("1h"))) {
            List<ScanRangeCoverage> all = ScanRangeCoverage.measure(dir, h, FROM, TO, ranges);
            for (ScanRangeCoverage c : all) {
                for (int k = 1; k < ranges.length; k++) {
                    assertThat(c.ranges().get(k).coverage()).as(c.asset() + " " + h)
                        .isGreaterThanOrEqualTo(c.ranges().get(k - 1).coverage());
                }
            }
        }
        ScanRangeCoverage btc = ScanRangeCoverage.measure(dir, Horizon.ofDays(1), FROM, TO, ranges).get(0);
        BacktestSummary perp = run(BuiltInStrategy.LONG_PERP, null);
        assertThat(btc.windows()).isEqualTo(perp.days());
        // a long perp's 99% loss is the 99% quantile of the falls; at most the 99% quantile of |move|
        assertThat(perp.lossQuantile99() / BuiltInStrategy.NOTIONAL_USD).isLessThanOrEqualTo(btc.absMoveQuantile99());
    }
}
