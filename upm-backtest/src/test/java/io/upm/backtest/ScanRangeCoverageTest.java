package io.upm.backtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.upm.input.InputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Scan-range coverage over seeded random daily closes, against naive counts. */
class ScanRangeCoverageTest {
    static final long DAY = 86_400_000L;

    /** Writes {@code n} daily closes (a fat-tailed random walk) from TestHistories.START, leaving out {@code gap}. */
    static CloseSeries closes(Path dir, long seed, int n, int gap) throws IOException {
        SplittableRandom r = new SplittableRandom(seed);
        StringBuilder b = new StringBuilder("date,open,high,low,close,volume\n");
        double c = 100;
        for (int i = 0; i < n; i++) {
            double u = r.nextDouble() - 0.5;
            c *= Math.exp(0.04 * u * (r.nextDouble() < 0.05 ? 5 : 1));
            if (i != gap) {
                b.append(String.format(Locale.ROOT, "%s,1,1,1,%.6f,1%n", TestHistories.START.plusDays(i), c));
            }
        }
        Path f = dir.resolve("closes-" + seed + ".csv");
        Files.writeString(f, b.toString());
        return CloseSeries.read(f, CloseSeries.TimeColumn.DATE);
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void coverageIsMonotoneInTheScanRangeAndEqualsANaiveCount(long seed, @TempDir Path dir) throws IOException {
        CloseSeries s = closes(dir, seed, 800, -1);
        SplittableRandom r = new SplittableRandom(seed * 31);
        double[] ranges = new double[25];
        for (int i = 0; i < ranges.length; i++) {
            ranges[i] = 0.001 + 0.2 * r.nextDouble();
        }
        Arrays.sort(ranges);
        LocalDate from = TestHistories.START;
        LocalDate to = TestHistories.START.plusDays(900);
        ScanRangeCoverage c = ScanRangeCoverage.of("BTC", Horizon.ofDays(1), from, to,
            ScanRangeCoverage.windows(s, DAY, 1, from, to), ranges);
        assertThat(c.windows()).isEqualTo(799);
        for (int i = 0; i < ranges.length; i++) {
            ScanRangeCoverage.RangeCoverage row = c.ranges().get(i);
            if (i > 0) {
                assertThat(row.coverage()).isGreaterThanOrEqualTo(c.ranges().get(i - 1).coverage());
            }
            int outside = 0;
            for (int k = 0; k + 1 < s.size(); k++) {
                double move = s.close(k + 1) / s.close(k) - 1;
                if (Math.abs(move) > ranges[i]) {
                    outside++;
                }
            }
            assertThat(row.fallsBeyond() + row.risesBeyond()).isEqualTo(outside);
            assertThat(row.coverage()).isEqualTo(1.0 - outside / 799.0);
        }
        // the 99% quantile of |move| is the smallest scan range that covers 99% of the windows
        double q = c.absMoveQuantile99();
        double[] at = {q, Math.nextDown(q)};
        ScanRangeCoverage atQ = ScanRangeCoverage.of("BTC", Horizon.ofDays(1), from, to,
            ScanRangeCoverage.windows(s, DAY, 1, from, to), at);
        assertThat(atQ.ranges().get(0).coverage()).isGreaterThanOrEqualTo(0.99);
        assertThat(atQ.ranges().get(1).coverage()).isLessThan(0.99);
        assertThat(c.absMoveQuantile995()).isGreaterThanOrEqualTo(q);
        assertThat(c.largestFall()).isLessThanOrEqualTo(-0.0).isGreaterThanOrEqualTo(-1.0);
    }

    @Test
    void windowsOfSeveralBarsDoNotOverlapAndSkipAGap(@TempDir Path dir) throws IOException {
        CloseSeries s = closes(dir, 9, 30, 10); // day 10 missing
        LocalDate from = TestHistories.START;
        ScanRangeCoverage.Windows w = ScanRangeCoverage.windows(s, DAY, 3, from, from.plusDays(40));
        // windows [0,3], [3,6], [6,9]; [9,12] spans the gap, so restart at 11: [11,14], ..., [26,29]
        long[] expectedStartDays = {0, 3, 6, 11, 14, 17, 20, 23, 26};
        assertThat(w.startMillis()).hasSize(expectedStartDays.length);
        long start0 = TestHistories.START.atStartOfDay(java.time.ZoneOffset.UTC).toInstant().toEpochMilli();
        for (int i = 0; i < expectedStartDays.length; i++) {
            // a window's start is the close of its first bar
            assertThat(w.startMillis()[i]).isEqualTo(start0 + (expectedStartDays[i] + 1) * DAY);
        }
        // the move of [11, 14] in series indices (day 10 missing: days 11 and 14 are rows 10 and 13)
        assertThat(w.moves()[3]).isEqualTo(s.close(13) / s.close(10) - 1);
    }

    @Test
    void aScanRangeOutsideZeroToTenIsBadInput(@TempDir Path dir) throws IOException {
        CloseSeries s = closes(dir, 4, 50, -1);
        LocalDate from = TestHistories.START;
        ScanRangeCoverage.Windows w = ScanRangeCoverage.windows(s, DAY, 1, from, from.plusDays(60));
        assertThatThrownBy(() -> ScanRangeCoverage.of("BTC", Horizon.ofDays(1), from, from, w, new double[] {0.05, 0}))
            .isInstanceOf(InputException.class)
            .satisfies(e -> assertThat(((InputException) e).field()).isEqualTo("--scan-ranges"));
        ScanRangeCoverage.Windows none = ScanRangeCoverage.windows(s, DAY, 1, from.plusDays(100), from.plusDays(200));
        assertThatThrownBy(() -> ScanRangeCoverage.of("BTC", Horizon.ofDays(1), from, from, none, new double[] {0.05}))
            .hasMessageContaining("no 1d window");
    }
}
