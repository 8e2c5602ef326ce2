package io.upm.engine.core;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * The index prices the engine has seen, per asset, as a step function of engine time, kept for the settlement
 * window: the time-weighted average over the 30 minutes before an expiry (MODEL.md section 9) is its integral over
 * the window divided by the window. Before the first price seen in the window the first one counts back to the
 * window's start (documented in docs/engine.md).
 *
 * <p>Mutable, single-threaded (the engine's writer); each asset's history is pruned to the window plus the price
 * in force at its start, so memory is bounded by the number of price changes in one window.
 */
public final class PriceHistory {
    /** The settlement window, milliseconds (30 minutes). */
    public static final long WINDOW_MILLIS = 30L * 60 * 1000;

    private static final class Steps {
        long[] time = new long[8];
        double[] price = new double[8];
        int count;
    }

    private final Map<String, Steps> assets = new TreeMap<>();

    /** Records the price of an asset from {@code timeMillis} on (times never decrease). */
    public void record(String asset, long timeMillis, double price) {
        Steps s = assets.computeIfAbsent(asset, k -> new Steps());
        if (s.count > 0 && s.price[s.count - 1] == price) {
            return;
        }
        if (s.count > 0 && s.time[s.count - 1] == timeMillis) {
            s.price[s.count - 1] = price;
            return;
        }
        // drop steps wholly before the window that ends now (keep the one in force at its start)
        int drop = 0;
        while (drop + 1 < s.count && s.time[drop + 1] <= timeMillis - WINDOW_MILLIS) {
            drop++;
        }
        if (drop > 0) {
            System.arraycopy(s.time, drop, s.time, 0, s.count - drop);
            System.arraycopy(s.price, drop, s.price, 0, s.count - drop);
            s.count -= drop;
        }
        if (s.count == s.time.length) {
            s.time = Arrays.copyOf(s.time, s.count * 2);
            s.price = Arrays.copyOf(s.price, s.count * 2);
        }
        s.time[s.count] = timeMillis;
        s.price[s.count] = price;
        s.count++;
    }

    /**
     * The time-weighted average price of an asset over the window ending at {@code endMillis}, or NaN when no price
     * was seen at or before it.
     */
    public double twap(String asset, long endMillis) {
        Steps s = assets.get(asset);
        if (s == null || s.count == 0 || s.time[0] > endMillis) {
            return Double.NaN;
        }
        long start = endMillis - WINDOW_MILLIS;
        double integral = 0.0;
        for (int k = 0; k < s.count && s.time[k] <= endMillis; k++) {
            long from = k == 0 ? start : Math.max(start, s.time[k]);
            long to = k + 1 < s.count ? Math.min(endMillis, s.time[k + 1]) : endMillis;
            if (to > from) {
                integral += s.price[k] * (to - from);
            }
        }
        return integral / WINDOW_MILLIS;
    }

    /** The steps kept, for snapshots: asset to [time, price] pairs. */
    public Map<String, double[][]> steps() {
        Map<String, double[][]> out = new TreeMap<>();
        assets.forEach((a, s) -> {
            double[][] rows = new double[s.count][];
            for (int k = 0; k < s.count; k++) {
                rows[k] = new double[] {s.time[k], s.price[k]};
            }
            out.put(a, rows);
        });
        return out;
    }

    /** Restores a step kept by {@link #steps} (in order). */
    public void restore(String asset, long timeMillis, double price) {
        Steps s = assets.computeIfAbsent(asset, k -> new Steps());
        if (s.count == s.time.length) {
            s.time = Arrays.copyOf(s.time, s.count * 2);
            s.price = Arrays.copyOf(s.price, s.count * 2);
        }
        s.time[s.count] = timeMillis;
        s.price[s.count] = price;
        s.count++;
    }
}
