package io.upm.backtest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/** Synthetic histories with known answers, CSV fixtures, and the location of the real data. */
public final class TestHistories {
    /** First day of the synthetic histories. */
    public static final LocalDate START = LocalDate.of(2020, 1, 1);

    private TestHistories() {
    }

    /** Consecutive days from {@link #START}. */
    public static List<LocalDate> days(int n) {
        List<LocalDate> d = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            d.add(START.plusDays(i));
        }
        return d;
    }

    /**
     * Closes of a driftless geometric random walk with constant daily log-return vol, seeded: close_0 =
     * {@code start}, ln(close_i / close_{i-1}) = dailyVol x N(0, 1) - dailyVol^2 / 2.
     */
    public static double[] randomWalk(long seed, int n, double start, double dailyVol) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] c = new double[n];
        c[0] = start;
        for (int i = 1; i < n; i++) {
            c[i] = c[i - 1] * Math.exp(dailyVol * gaussian(rnd) - 0.5 * dailyVol * dailyVol);
        }
        return c;
    }

    /** A constant series. */
    public static double[] constant(int n, double value) {
        double[] c = new double[n];
        java.util.Arrays.fill(c, value);
        return c;
    }

    /** A history of BTC, ETH and SOL random walks (ETH and SOL independent of BTC), with a constant DVOL for BTC and ETH. */
    public static DailyHistory randomWalks(long seed, int n, double dailyVol) {
        Map<String, double[]> closes = new HashMap<>();
        closes.put("BTC", randomWalk(seed, n, 50_000, dailyVol));
        closes.put("ETH", randomWalk(seed + 1, n, 3_000, dailyVol));
        closes.put("SOL", randomWalk(seed + 2, n, 100, dailyVol));
        double annual = dailyVol * Math.sqrt(365);
        return DailyHistory.of(days(n), closes, Map.of("BTC", constant(n, annual), "ETH", constant(n, annual)));
    }

    /** Writes a history as the five CSV files {@link DailyHistory#load} reads. */
    public static void writeCsvs(DailyHistory h, Path dir) {
        try {
            Files.createDirectories(dir);
            for (Map.Entry<String, String> e : DailyHistory.CLOSE_FILES.entrySet()) {
                StringBuilder b = new StringBuilder("date,open,high,low,close,volume\n");
                for (int i = 0; i < h.size(); i++) {
                    double c = h.close(e.getKey(), i);
                    if (!Double.isNaN(c)) {
                        b.append(String.format(Locale.ROOT, "%s,%.6f,%.6f,%.6f,%.6f,1000%n", h.date(i), c, c, c, c));
                    }
                }
                Files.writeString(dir.resolve(e.getValue()), b.toString());
            }
            for (Map.Entry<String, String> e : DailyHistory.DVOL_FILES.entrySet()) {
                StringBuilder b = new StringBuilder("date,open,high,low,close\n");
                for (int i = 0; i < h.size(); i++) {
                    double v = h.impliedVol(e.getKey(), i);
                    if (!Double.isNaN(v)) {
                        double p = 100 * v;
                        b.append(String.format(Locale.ROOT, "%s,%.4f,%.4f,%.4f,%.4f%n", h.date(i), p, p, p, p));
                    }
                }
                Files.writeString(dir.resolve(e.getValue()), b.toString());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The real market data folder, {@code shared/data/market} next to the repository: looked for by walking up
     * from the working directory (empty when absent: the data have no redistribution licence and are never
     * committed).
     */
    public static Optional<Path> realData() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolve("shared").resolve("data").resolve("market");
            if (Files.isRegularFile(candidate.resolve("btc_usdt_binance_1d.csv"))) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** The message of a test skipped for want of the real data. */
    public static final String NO_REAL_DATA = "skipped: real market data not found (looked for shared/data/market "
        + "with btc_usdt_binance_1d.csv in every parent of the working directory); see ../shared/data/market/SOURCES.md";

    private static double gaussian(SplittableRandom r) {
        double u1 = r.nextDouble();
        double u2 = r.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
    }
}
