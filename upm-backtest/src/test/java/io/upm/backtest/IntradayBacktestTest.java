package io.upm.backtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.upm.backtest.feed.BarInterval;
import io.upm.backtest.model.RiskMatrixMarginModel;
import io.upm.backtest.strategy.BuiltInStrategy;
import io.upm.input.InputException;
import io.upm.margin.params.MarginParameters;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The intraday backtest on synthetic 4h bars: its losses equal a naive recomputation from the CSV lines, gaps are
 * not evaluated, the margin is the static matrix's, and nothing after the bar close is used.
 */
class IntradayBacktestTest {
    static final int DAYS = 60;
    static final long H4 = 4 * 3_600_000L;
    static final LocalDate START = TestHistories.START;
    /** The bar that is missing (a synthetic outage). */
    static final int GAP = 6 * 45 + 3;

    @TempDir
    static Path dir;
    static List<long[]> opens = new ArrayList<>();
    static List<Double> closes = new ArrayList<>();
    static DailyHistory daily;

    @BeforeAll
    static void writeBars() throws IOException {
        SplittableRandom rnd = new SplittableRandom(99);
        StringBuilder b = new StringBuilder("timestamp,open,high,low,close,volume\n");
        double c = 40_000;
        double[] dailyCloses = new double[DAYS];
        long t = START.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        for (int k = 0; k < DAYS * 6; k++, t += H4) {
            c = Math.round(c * Math.exp(0.012 * (rnd.nextDouble() - 0.5) * 3.46) * 100) / 100.0;
            if (k % 6 == 5) {
                dailyCloses[k / 6] = c;
            }
            if (k == GAP) {
                continue;
            }
            b.append(String.format(Locale.ROOT, "%s,%.2f,%.2f,%.2f,%.2f,1%n", Instant.ofEpochMilli(t), c, c, c, c));
        }
        Files.writeString(dir.resolve("btc_usdt_binance_4h.csv"), b.toString());
        daily = DailyHistory.of(TestHistories.days(DAYS), Map.of("BTC", dailyCloses),
            Map.of("BTC", TestHistories.constant(DAYS, 0.5)));
    }

    /** The bars as a naive reader sees them: open time to close, from the CSV lines. */
    static Map<Long, Double> naiveBars() throws IOException {
        Map<Long, Double> m = new HashMap<>();
        List<String> lines = Files.readAllLines(dir.resolve("btc_usdt_binance_4h.csv"));
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",");
            m.put(Instant.parse(f[0]).toEpochMilli(), Double.parseDouble(f[4]));
        }
        return m;
    }

    static BacktestResult run(LocalDate from, LocalDate to) {
        MarginParameters p = MarginParameters.defaults();
        IntradayBars bars = IntradayBars.load(dir, BarInterval.H4);
        return new IntradayBacktest(new HistoricalSnapshots(daily), bars, p).run(BuiltInStrategy.LONG_PERP,
            new RiskMatrixMarginModel(p), from, to, BacktestProgress.NONE);
    }

    @Test
    void eachBarsLossEqualsANaiveRecomputationFromTheBars() throws IOException {
        LocalDate from = START.plusDays(40);
        LocalDate to = START.plusDays(50);
        BacktestResult r = run(from, to);
        Map<Long, Double> bars = naiveBars();
        int expected = 0;
        long fromMs = from.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        long toMs = to.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        Map<Long, Double> expectedLoss = new HashMap<>();
        for (long open = fromMs; open < toMs; open += H4) {
            Double s0 = bars.get(open);
            Double s1 = bars.get(open + H4);
            if (s0 != null && s1 != null) {
                expected++;
                expectedLoss.put(open + H4, BuiltInStrategy.NOTIONAL_USD / s0 * (s0 - s1));
            }
        }
        assertThat(expected).isEqualTo(11 * 6 - 2); // the missing bar and the one before it are not evaluated
        assertThat(r.days()).hasSize(expected);
        assertThat(r.horizonHours()).isEqualTo(4);
        assertThat(r.horizonDays()).isZero();
        for (DayResult d : r.days()) {
            Double loss = expectedLoss.get(d.time().toEpochMilli());
            assertThat(loss).as(d.time().toString()).isNotNull();
            assertThat(d.loss()).as(d.time().toString()).isCloseTo(loss, within(1e-6));
            assertThat(d.margin()).isCloseTo(170_000, within(1e-6)); // R 16% + roll shock 1% of 1M
            assertThat(d.breach()).isEqualTo(d.loss() > d.margin());
            assertThat(d.date()).isEqualTo(LocalDate.ofInstant(d.time().minusMillis(H4), ZoneOffset.UTC));
        }
        BacktestSummary s = r.summary();
        assertThat(s.isIntraday()).isTrue();
        assertThat(s.days()).isEqualTo(expected);
    }

    @Test
    void aBarSeesTheVolAndCorrelationsOfTheLastCompletedDayOnly() {
        IntradayBacktest b = new IntradayBacktest(new HistoricalSnapshots(daily), IntradayBars.load(dir, BarInterval.H4),
            MarginParameters.defaults());
        long midnight = START.plusDays(10).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        assertThat(daily.date(b.lastCompletedDay(midnight))).isEqualTo(START.plusDays(9)); // the close of day 9
        assertThat(daily.date(b.lastCompletedDay(midnight + H4))).isEqualTo(START.plusDays(9));
        assertThat(daily.date(b.lastCompletedDay(midnight - 1))).isEqualTo(START.plusDays(8));
        assertThat(b.lastCompletedDay(START.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli())).isEqualTo(-1);
        // the bar closing at a midnight prices BTC at the daily close of the day that ends there
        assertThat(b.snapshot(midnight).priceOrNaN("BTC")).isEqualTo(daily.close("BTC", 9));
    }

    @Test
    void aRangeWithoutBarsIsBadInputNamingTheOption() {
        assertThatThrownBy(() -> run(START.plusDays(200), START.plusDays(210))).isInstanceOf(InputException.class)
            .satisfies(e -> assertThat(((InputException) e).field()).isEqualTo("--from"));
        assertThatThrownBy(() -> IntradayBars.load(dir, BarInterval.H1)).isInstanceOf(InputException.class)
            .hasMessageContaining("btc_usdt_binance_1h.csv");
    }

    @Test
    void horizonsParseAsTheCommandLineWritesThem() {
        assertThat(Horizon.parse("4h")).isEqualTo(new Horizon(0, 4));
        assertThat(Horizon.parse("1h").barInterval()).isEqualTo(BarInterval.H1);
        assertThat(Horizon.parse("3")).isEqualTo(Horizon.ofDays(3));
        assertThat(Horizon.parse("10d").code()).isEqualTo("10d");
        for (String bad : new String[] {"3h", "0d", "366d", "1w", "", "h"}) {
            assertThatThrownBy(() -> Horizon.parse(bad)).as(bad).isInstanceOf(InputException.class)
                .hasMessageContaining("1h, 2h or 4h");
        }
    }
}
