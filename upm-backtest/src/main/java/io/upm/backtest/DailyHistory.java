package io.upm.backtest;

import io.upm.input.InputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Daily closes and implied-volatility indices of BTC, ETH and SOL on one calendar: the raw history a
 * backtest replays.
 *
 * <p>The calendar is the days of the BTC daily file (the longest history); ETH and SOL read {@code NaN}
 * before their first row (and on any day their file lacks). Implied volatility is the Deribit DVOL daily
 * close divided by 100 (a fraction per year), {@code NaN} where there is none (SOL always, BTC and ETH
 * before 2021-03-24). Immutable and thread-safe once built; accessors do not allocate.
 */
public final class DailyHistory {

    /** The assets, in this order. */
    public static final List<String> ASSETS = List.of("BTC", "ETH", "SOL");

    /** Spot daily candle files (Binance, USDT), required, by asset. */
    public static final Map<String, String> CLOSE_FILES = orderedMap(
            "BTC", "btc_usdt_binance_1d.csv", "ETH", "eth_usdt_binance_1d.csv", "SOL", "sol_usdt_binance_1d.csv");

    /** Deribit DVOL daily files, required, by asset (SOL has none). */
    public static final Map<String, String> DVOL_FILES = orderedMap(
            "BTC", "btc_dvol_deribit_1d.csv", "ETH", "eth_dvol_deribit_1d.csv");

    private final LocalDate[] dates;
    private final Map<LocalDate, Integer> indexByDate;
    private final Map<String, double[]> closes;
    private final Map<String, double[]> impliedVols;

    private DailyHistory(LocalDate[] dates, Map<String, double[]> closes, Map<String, double[]> impliedVols) {
        this.dates = dates;
        this.indexByDate = new HashMap<>(dates.length * 2);
        for (int i = 0; i < dates.length; i++) {
            if (i > 0 && !dates[i].isAfter(dates[i - 1])) {
                throw new IllegalArgumentException("dates must be strictly increasing: " + dates[i - 1] + ", " + dates[i]);
            }
            indexByDate.put(dates[i], i);
        }
        this.closes = closes;
        this.impliedVols = impliedVols;
    }

    /**
     * Reads the five daily files of {@code dir} ({@link #CLOSE_FILES}, {@link #DVOL_FILES}), each a CSV
     * with a header holding at least {@code date} and {@code close}.
     *
     * @throws InputException naming the file (and the line and column) when a file is missing, unreadable
     *                        or malformed (bad date, non-positive or non-numeric close, dates out of order)
     */
    public static DailyHistory load(Path dir) {
        if (dir == null || !Files.isDirectory(dir)) {
            throw new InputException("--data", "not a directory: " + dir);
        }
        Map<String, TreeMap<LocalDate, Double>> spot = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : CLOSE_FILES.entrySet()) {
            spot.put(e.getKey(), readCloses(dir.resolve(e.getValue())));
        }
        Map<String, TreeMap<LocalDate, Double>> dvol = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : DVOL_FILES.entrySet()) {
            dvol.put(e.getKey(), readCloses(dir.resolve(e.getValue())));
        }
        TreeMap<LocalDate, Double> btc = spot.get("BTC");
        if (btc.isEmpty()) {
            throw new InputException(dir.resolve(CLOSE_FILES.get("BTC")).toString(), "no rows");
        }
        LocalDate[] dates = btc.keySet().toArray(new LocalDate[0]);
        Map<String, double[]> closes = new LinkedHashMap<>();
        Map<String, double[]> vols = new LinkedHashMap<>();
        for (String asset : ASSETS) {
            closes.put(asset, onCalendar(dates, spot.get(asset), 1.0));
            TreeMap<LocalDate, Double> v = dvol.get(asset);
            vols.put(asset, v == null ? nans(dates.length) : onCalendar(dates, v, 0.01));
        }
        return new DailyHistory(dates, closes, vols);
    }

    /**
     * A history from arrays, for synthetic tests and embedding.
     *
     * @param dates       strictly increasing days
     * @param closes      per asset, one close (USD) per day, {@code NaN} where absent; assets missing from
     *                    the map read {@code NaN} every day
     * @param impliedVols per asset, implied vol as a fraction per year, {@code NaN} where absent; may be empty
     */
    public static DailyHistory of(List<LocalDate> dates, Map<String, double[]> closes, Map<String, double[]> impliedVols) {
        LocalDate[] d = dates.toArray(new LocalDate[0]);
        Map<String, double[]> c = new LinkedHashMap<>();
        Map<String, double[]> v = new LinkedHashMap<>();
        for (String asset : ASSETS) {
            c.put(asset, copyOrNan(closes.get(asset), d.length, "closes." + asset));
            v.put(asset, copyOrNan(impliedVols == null ? null : impliedVols.get(asset), d.length, "impliedVols." + asset));
        }
        for (String asset : closes.keySet()) {
            if (!ASSETS.contains(asset)) {
                throw new IllegalArgumentException("unknown asset " + asset + "; expected one of " + ASSETS);
            }
        }
        return new DailyHistory(d, c, v);
    }

    /** The number of days. */
    public int size() {
        return dates.length;
    }

    /** The {@code i}-th day. */
    public LocalDate date(int i) {
        return dates[i];
    }

    /** The index of {@code d}, or -1 when the calendar does not hold it. */
    public int indexOf(LocalDate d) {
        Integer i = indexByDate.get(d);
        return i == null ? -1 : i;
    }

    /** The assets: {@code BTC}, {@code ETH}, {@code SOL}. */
    public List<String> assets() {
        return ASSETS;
    }

    /** The daily close in USD (USDT taken at par) of {@code asset} on day {@code i}; {@code NaN} where absent. */
    public double close(String asset, int i) {
        return series(closes, asset)[i];
    }

    /** The implied volatility (DVOL close / 100, a fraction per year) on day {@code i}; {@code NaN} where absent. */
    public double impliedVol(String asset, int i) {
        return series(impliedVols, asset)[i];
    }

    /** {@code ln(close_i / close_{i-1})}; {@code NaN} when either close is absent or {@code i == 0}. */
    public double logReturn(String asset, int i) {
        if (i <= 0) {
            return Double.NaN;
        }
        double[] c = series(closes, asset);
        return Math.log(c[i] / c[i - 1]);
    }

    /**
     * Co-moments of two assets' daily log returns over the {@code window} days ending at day {@code to}
     * (days where either return is missing are left out): the basis of rolling correlations and hedge ratios.
     */
    public CoMoments coMoments(String a, String b, int to, int window) {
        double sa = 0;
        double sb = 0;
        double saa = 0;
        double sbb = 0;
        double sab = 0;
        int n = 0;
        for (int k = Math.max(1, to - window + 1); k <= to; k++) {
            double ra = logReturn(a, k);
            double rb = logReturn(b, k);
            if (Double.isNaN(ra) || Double.isNaN(rb)) {
                continue;
            }
            sa += ra;
            sb += rb;
            saa += ra * ra;
            sbb += rb * rb;
            sab += ra * rb;
            n++;
        }
        return n == 0 ? new CoMoments(0, 0, 0, 0)
            : new CoMoments(n, sab - sa * sb / n, saa - sa * sa / n, sbb - sb * sb / n);
    }

    /**
     * Sums of centred products of two return series (n times the sample covariance and variances).
     *
     * @param count      common returns used
     * @param covariance sum of (r_a - mean_a)(r_b - mean_b)
     * @param varianceA  sum of (r_a - mean_a)^2
     * @param varianceB  sum of (r_b - mean_b)^2
     */
    public record CoMoments(int count, double covariance, double varianceA, double varianceB) {
        /** The Pearson correlation, clipped to [-1, 1]; NaN when either series is constant. */
        public double correlation() {
            if (varianceA <= 0 || varianceB <= 0) {
                return Double.NaN;
            }
            return Math.max(-1.0, Math.min(1.0, covariance / Math.sqrt(varianceA * varianceB)));
        }

        /** The hedge ratio cov(a, b) / var(b), or {@code fallback} when b is constant. */
        public double beta(double fallback) {
            return varianceB > 0 ? covariance / varianceB : fallback;
        }
    }

    /** The first index where {@code asset} has a close, or -1. */
    public int firstIndexWithClose(String asset) {
        double[] c = series(closes, asset);
        for (int i = 0; i < c.length; i++) {
            if (!Double.isNaN(c[i])) {
                return i;
            }
        }
        return -1;
    }

    private static double[] series(Map<String, double[]> m, String asset) {
        double[] s = m.get(asset);
        if (s == null) {
            throw new IllegalArgumentException("unknown asset " + asset + "; expected one of " + ASSETS);
        }
        return s;
    }

    private static double[] onCalendar(LocalDate[] dates, Map<LocalDate, Double> values, double scale) {
        double[] out = nans(dates.length);
        for (int i = 0; i < dates.length; i++) {
            Double v = values.get(dates[i]);
            if (v != null) {
                out[i] = v * scale;
            }
        }
        return out;
    }

    private static double[] nans(int n) {
        double[] a = new double[n];
        Arrays.fill(a, Double.NaN);
        return a;
    }

    private static double[] copyOrNan(double[] src, int n, String what) {
        if (src == null) {
            return nans(n);
        }
        if (src.length != n) {
            throw new IllegalArgumentException(what + " has " + src.length + " values for " + n + " dates");
        }
        return src.clone();
    }

    /** Reads {@code date} and {@code close} columns; strictly increasing dates; positive finite closes. */
    private static TreeMap<LocalDate, Double> readCloses(Path file) {
        return CloseSeries.read(file, CloseSeries.TimeColumn.DATE).closesByDate();
    }

    private static Map<String, String> orderedMap(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return Collections.unmodifiableMap(m);
    }

    /** For diagnostics: the assets with at least one close. */
    List<String> assetsWithData() {
        List<String> out = new ArrayList<>();
        for (String a : ASSETS) {
            if (firstIndexWithClose(a) >= 0) {
                out.add(a);
            }
        }
        return out;
    }
}
