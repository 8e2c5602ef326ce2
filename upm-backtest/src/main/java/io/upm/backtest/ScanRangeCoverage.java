package io.upm.backtest;

import io.upm.input.InputException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * How often a scan range R would have covered an underlying's price moves over a horizon (issue 9, item 5): the
 * evidence for the scan range of a margin period of risk. A window is one horizon of consecutive bars, from the
 * close of one bar to the close of the bar {@code barsPerWindow} later, the windows not overlapping (each window
 * starts where the last ended), so that they are the independent observations a coverage test assumes. The move
 * of a window is the simple return {@code r = S_end / S_start - 1}: a delta-one position of notional N loses
 * {@code N |r|} on its wrong side, which the price axis of the risk matrix covers when {@code -R <= r <= R}.
 *
 * <p>A window that spans a gap in the bars (a Binance outage) is not counted; the next window starts after the
 * gap. The windows counted are those whose first bar opens on a day from {@code from} to {@code to}; with daily
 * bars and a one-day horizon they are exactly the days of a one-day backtest.
 *
 * @param asset            the underlying
 * @param horizon          the horizon
 * @param from             first day asked for
 * @param to               last day asked for
 * @param windows          windows counted N
 * @param firstWindow      the start (a bar close) of the first window
 * @param lastWindow       the start of the last window
 * @param absMoveQuantile99  the empirical 99% quantile of |r| (order statistic ceil(0.99 N)): the smallest scan
 *                           range that covers at least 99% of the windows
 * @param absMoveQuantile995 the same at 99.5%
 * @param largestFall      the most negative r
 * @param largestFallStart the start of its window
 * @param largestRise      the largest r
 * @param largestRiseStart the start of its window
 * @param ranges           the coverage of each scan range asked for, in the order given
 */
public record ScanRangeCoverage(String asset, Horizon horizon, LocalDate from, LocalDate to, int windows,
                                Instant firstWindow, Instant lastWindow, double absMoveQuantile99,
                                double absMoveQuantile995, double largestFall, Instant largestFallStart,
                                double largestRise, Instant largestRiseStart, List<RangeCoverage> ranges) {

    /** Copies the list. */
    public ScanRangeCoverage {
        ranges = List.copyOf(ranges);
    }

    /**
     * The coverage of one scan range.
     *
     * @param scanRange    R, a fraction of the price
     * @param coverage     the share of windows with {@code -R <= r <= R}
     * @param fallsBeyond  windows with {@code r < -R} (a long position's loss beyond R)
     * @param risesBeyond  windows with {@code r > R} (a short position's loss beyond R)
     */
    public record RangeCoverage(double scanRange, double coverage, int fallsBeyond, int risesBeyond) {
    }

    /**
     * The moves of the non-overlapping windows of {@code barsPerWindow} bars of {@code bars} whose first bar opens
     * on a day from {@code from} to {@code to}.
     *
     * @param barMillis the bar length, ms: consecutive bars must open exactly this far apart
     * @return for each window, its start (epoch ms, the close of its first bar) and its move r
     */
    public static Windows windows(CloseSeries bars, long barMillis, int barsPerWindow, LocalDate from, LocalDate to) {
        if (barsPerWindow < 1) {
            throw new IllegalArgumentException("barsPerWindow must be at least 1");
        }
        long fromMillis = from.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        long toMillis = to.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        List<Long> starts = new ArrayList<>();
        List<Double> moves = new ArrayList<>();
        int a = 0;
        while (a < bars.size() && bars.openMillis(a) < fromMillis) {
            a++;
        }
        while (a + barsPerWindow < bars.size() && bars.openMillis(a) < toMillis) {
            int b = a + barsPerWindow;
            if (bars.openMillis(b) - bars.openMillis(a) != barsPerWindow * barMillis) {
                a++; // a gap inside the window: start again at the next bar
                continue;
            }
            starts.add(bars.openMillis(a) + barMillis);
            moves.add(bars.close(b) / bars.close(a) - 1.0);
            a = b;
        }
        long[] s = new long[starts.size()];
        double[] m = new double[moves.size()];
        for (int i = 0; i < s.length; i++) {
            s[i] = starts.get(i);
            m[i] = moves.get(i);
        }
        return new Windows(s, m);
    }

    /**
     * The windows' starts (epoch ms) and moves.
     *
     * @param startMillis each window's start, the close of its first bar
     * @param moves       each window's simple return
     */
    public record Windows(long[] startMillis, double[] moves) {
    }

    /**
     * The coverage of each scan range over the windows.
     *
     * @throws InputException naming {@code --scan-ranges} when a range is not in (0, 10], or {@code --from} when
     *                        there is no window
     */
    public static ScanRangeCoverage of(String asset, Horizon horizon, LocalDate from, LocalDate to, Windows w,
                                       double[] scanRanges) {
        for (double r : scanRanges) {
            if (!(r > 0 && r <= 10)) {
                throw new InputException("--scan-ranges", "a scan range must be a fraction in (0, 10], got " + r);
            }
        }
        int n = w.moves().length;
        if (n == 0) {
            throw new InputException("--from", "no " + horizon + " window of " + asset + " from " + from + " to " + to);
        }
        double[] abs = new double[n];
        int fall = 0;
        int rise = 0;
        for (int i = 0; i < n; i++) {
            double r = w.moves()[i];
            abs[i] = Math.abs(r);
            if (r < w.moves()[fall]) {
                fall = i;
            }
            if (r > w.moves()[rise]) {
                rise = i;
            }
        }
        List<RangeCoverage> rows = new ArrayList<>();
        for (double range : scanRanges) {
            int below = 0;
            int above = 0;
            for (double r : w.moves()) {
                if (r < -range) {
                    below++;
                } else if (r > range) {
                    above++;
                }
            }
            rows.add(new RangeCoverage(range, 1.0 - (double) (below + above) / n, below, above));
        }
        return new ScanRangeCoverage(asset, horizon, from, to, n, Instant.ofEpochMilli(w.startMillis()[0]),
            Instant.ofEpochMilli(w.startMillis()[n - 1]), BacktestSummary.quantile(abs, 0.99),
            BacktestSummary.quantile(abs, 0.995), w.moves()[fall], Instant.ofEpochMilli(w.startMillis()[fall]),
            w.moves()[rise], Instant.ofEpochMilli(w.startMillis()[rise]), rows);
    }

    /**
     * The coverage of every asset with bars of the horizon's length (or, for a horizon of N days, daily bars taken
     * N at a time) in {@code dataDir}.
     */
    public static List<ScanRangeCoverage> measure(java.nio.file.Path dataDir, Horizon horizon, LocalDate from,
                                                  LocalDate to, double[] scanRanges) {
        IntradayBars bars = IntradayBars.load(dataDir, horizon.barInterval());
        int perWindow = horizon.isIntraday() ? 1 : horizon.days();
        List<ScanRangeCoverage> out = new ArrayList<>();
        for (String asset : bars.assets()) {
            Windows w = windows(bars.series(asset), bars.interval().millis(), perWindow, from, to);
            if (w.moves().length > 0) {
                out.add(of(asset, horizon, from, to, w, scanRanges));
            }
        }
        if (out.isEmpty()) {
            throw new InputException("--from", "no " + horizon + " window from " + from + " to " + to + " in " + dataDir);
        }
        return out;
    }
}
