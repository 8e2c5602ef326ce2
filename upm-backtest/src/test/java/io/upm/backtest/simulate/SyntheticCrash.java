package io.upm.backtest.simulate;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Made-up hourly bars with a crash, for the simulator's tests: 30 quiet days (a seeded random walk, 0.5% per hour),
 * then a two-day window in which every underlying falls by {@code drop} over six hours from hour 6, and recovers a
 * third of it by the end. Nothing here is market data.
 */
final class SyntheticCrash {
    /** The window's start: 2030-01-01 00:00 UTC (so that no real file can be mistaken for it). */
    static final Instant START = Instant.parse("2030-01-01T00:00:00Z");
    static final long START_MINUTE = START.getEpochSecond() / 60;
    static final int WINDOW_HOURS = 48;
    private static final String[] UNDERLYINGS = {"BTC", "ETH", "SOL"};
    private static final double[] PRICE = {50_000, 2_500, 100};
    /** Daily volume, USD. */
    private static final double[] ADV = {2e9, 1e9, 2e8};

    private SyntheticCrash() {
    }

    /** The paths of the window. */
    static MarketPaths paths(long seed, double drop) {
        Map<String, OhlcBars> bars = new LinkedHashMap<>();
        SplittableRandom rnd = new SplittableRandom(seed);
        int lookback = 30 * 24;
        int n = lookback + WINDOW_HOURS;
        for (int u = 0; u < UNDERLYINGS.length; u++) {
            long[] t = new long[n];
            double[][] rows = new double[n][];
            double p = PRICE[u];
            double crashStart = Double.NaN;
            for (int h = 0; h < n; h++) {
                t[h] = START_MINUTE + 60L * (h - lookback);
                double open = p;
                int w = h - lookback;
                double close;
                if (w >= 6 && w < 12) {
                    if (w == 6) {
                        crashStart = open;
                    }
                    close = crashStart * (1.0 - drop * (w - 5) / 6.0);
                } else if (w >= 12) {
                    double bottom = crashStart * (1.0 - drop);
                    close = bottom + (crashStart - bottom) / 3.0 * (w - 11) / (WINDOW_HOURS - 12.0);
                } else {
                    close = open * Math.exp(0.005 * (rnd.nextDouble() * 2 - 1) * Math.sqrt(3));
                }
                double hi = Math.max(open, close) * 1.002;
                double lo = Math.min(open, close) * 0.998;
                rows[h] = new double[] {open, hi, lo, close, ADV[u] / 24 / close};
                p = close;
            }
            bars.put(UNDERLYINGS[u], OhlcBars.of(UNDERLYINGS[u].toLowerCase() + "_synthetic_1h.csv", t, rows));
        }
        return MarketPaths.fromBars(bars, START_MINUTE, START_MINUTE + 60L * WINDOW_HOURS);
    }
}
