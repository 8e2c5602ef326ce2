package io.upm.backtest;

import io.upm.backtest.carry.MarketCarry;
import io.upm.market.Correlations;
import io.upm.market.MarketSnapshot;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;

/**
 * The market snapshot of each historical day, built from a {@link DailyHistory} only with what was
 * known at that day's close (docs/validation.md, "Snapshots"):
 *
 * <ul>
 *   <li>time: the day's close, {@code date + 1 day} at 00:00 UTC;</li>
 *   <li>index prices: the daily closes of BTC, ETH and SOL (USDT taken at par), and USDC = 1; forwards
 *       flat (every forward equals the index) and perpetual marks equal to the index; rate 0; no ADV;</li>
 *   <li>a flat implied vol per underlying: the Deribit DVOL close / 100 where there is one; otherwise the
 *       realised volatility of the last {@value #REALISED_WINDOW} daily log returns (zero mean, annualised
 *       with sqrt(365)) times an implied/realised premium: the median of BTC's DVOL / realised ratio over
 *       every earlier day that has both, floored at {@value #PREMIUM_FLOOR} (so {@value #PREMIUM_FLOOR}
 *       before the first DVOL day); the result is kept within [{@value #MIN_VOL}, {@value #MAX_VOL}];</li>
 *   <li>correlations: the Pearson correlations of the daily log returns over the last
 *       {@value #CORRELATION_WINDOW} days (pairs with fewer than {@value #MIN_CORRELATION_RETURNS} common
 *       returns are left out, i.e. 0), rounded to {@value #CORRELATION_DECIMALS} decimals so that
 *       consecutive days share one matrix (and one joint-loss geometry); if the rounded matrix is not
 *       positive semi-definite, its off-diagonal part is shrunk toward the identity in steps of 1% until it
 *       is.</li>
 * </ul>
 *
 * <p>With a {@link MarketCarry} (the backtest's {@code --carry real}) the forwards and perpetual marks are
 * those of the carry model instead of flat: forwards of the Deribit expiries at the annualised trailing
 * funding, perpetual marks at the index plus the day's perpetual basis where the data have one.
 *
 * <p>Snapshots are built lazily and cached. Not thread-safe.
 */
public final class HistoricalSnapshots {
    /** Days of log returns in the realised-volatility fallback. */
    public static final int REALISED_WINDOW = 30;
    /** Fewest returns in the window for a realised volatility. */
    public static final int MIN_REALISED_RETURNS = 20;
    /** Days of log returns in the rolling correlation window. */
    public static final int CORRELATION_WINDOW = 90;
    /** Fewest common returns for a pair's correlation. */
    public static final int MIN_CORRELATION_RETURNS = 30;
    /** Decimals the correlations are rounded to. */
    public static final int CORRELATION_DECIMALS = 2;
    /** Floor of the implied/realised premium of the fallback. */
    public static final double PREMIUM_FLOOR = 1.0;
    /** Smallest flat vol used (a fraction per year). */
    public static final double MIN_VOL = 0.05;
    /** Largest flat vol used. */
    public static final double MAX_VOL = 5.0;
    /** Days in a year for annualising daily volatility. */
    public static final double DAYS_PER_YEAR = 365.0;
    /** The stablecoin priced at 1 in every snapshot. */
    public static final String STABLECOIN = "USDC";

    private final DailyHistory history;
    private final MarketCarry carry;
    private final double[] premium;
    private final Map<String, double[]> realised = new HashMap<>();
    private final MarketSnapshot[] cache;

    /** Snapshots of {@code history} with flat forwards and perpetual marks at the index. */
    public HistoricalSnapshots(DailyHistory history) {
        this(history, null);
    }

    /**
     * Snapshots of {@code history}.
     *
     * @param carry the carry model of the forwards and perpetual marks, or null for flat forwards and marks at
     *              the index
     */
    public HistoricalSnapshots(DailyHistory history, MarketCarry carry) {
        this.history = history;
        this.carry = carry;
        this.cache = new MarketSnapshot[history.size()];
        for (String a : history.assets()) {
            realised.put(a, realisedSeries(history, a));
        }
        this.premium = premiumSeries(history, realised.get("BTC"));
    }

    /** The carry model of the forwards and marks, or null when they are flat. */
    public MarketCarry carry() {
        return carry;
    }

    /** The history the snapshots come from. */
    public DailyHistory history() {
        return history;
    }

    /** The valuation time of day {@code i}: the day's close, {@code date + 1} at 00:00 UTC. */
    public Instant time(int i) {
        return history.date(i).plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    /**
     * The snapshot of day {@code i}: prices of the assets that have a close that day, USDC = 1, flat vols
     * where one is known, correlations.
     */
    public MarketSnapshot snapshot(int i) {
        MarketSnapshot s = cache[i];
        if (s == null) {
            s = build(i);
            cache[i] = s;
        }
        return s;
    }

    /**
     * The flat implied vol of {@code asset} on day {@code i} (a fraction per year): DVOL / 100 where present,
     * else the realised fallback; NaN when neither is known (too little history).
     */
    public double vol(String asset, int i) {
        double iv = history.impliedVol(asset, i);
        if (!Double.isNaN(iv) && iv > 0) {
            return clamp(iv);
        }
        double rv = realised.get(asset)[i];
        return Double.isNaN(rv) ? Double.NaN : clamp(rv * premium[i]);
    }

    /** True when day {@code i}'s vol of {@code asset} is DVOL; false when it is the realised fallback. */
    public boolean isImpliedVol(String asset, int i) {
        double iv = history.impliedVol(asset, i);
        return !Double.isNaN(iv) && iv > 0;
    }

    /** The realised volatility (zero-mean, annualised) of the {@value #REALISED_WINDOW} returns to day {@code i}. */
    public double realisedVol(String asset, int i) {
        return realised.get(asset)[i];
    }

    /** The implied/realised premium applied to the fallback on day {@code i}. */
    public double premium(int i) {
        return premium[i];
    }

    /**
     * The rolling correlation of two assets' daily log returns over the {@value #CORRELATION_WINDOW} days
     * to day {@code i}, unrounded; NaN with fewer than {@value #MIN_CORRELATION_RETURNS} common returns.
     */
    public double rawCorrelation(String a, String b, int i) {
        DailyHistory.CoMoments m = history.coMoments(a, b, i, CORRELATION_WINDOW);
        return m.count() < MIN_CORRELATION_RETURNS ? Double.NaN : m.correlation();
    }

    private MarketSnapshot build(int i) {
        MarketSnapshot.Builder b = MarketSnapshot.builder(time(i));
        List<String> priced = new ArrayList<>();
        for (String a : history.assets()) {
            double c = history.close(a, i);
            if (!Double.isNaN(c)) {
                b.price(a, c);
                priced.add(a);
                if (carry != null) {
                    carry.addTo(b, a, c, time(i));
                }
                double v = vol(a, i);
                if (!Double.isNaN(v)) {
                    b.flatVol(a, v);
                }
            }
        }
        b.price(STABLECOIN, 1.0);
        correlationPairs(priced, i).forEach(b::correlation);
        return b.build();
    }

    /**
     * The rounded, PSD-repaired correlations of the priced assets on day {@code i}, keyed {@code "A/B"}
     * (pairs without enough common history are absent).
     */
    public Map<String, Double> correlationPairs(List<String> priced, int i) {
        int n = priced.size();
        double[][] m = new double[n][n];
        boolean[][] known = new boolean[n][n];
        double scale = Math.pow(10, CORRELATION_DECIMALS);
        for (int r = 0; r < n; r++) {
            m[r][r] = 1.0;
            for (int c = r + 1; c < n; c++) {
                double rho = rawCorrelation(priced.get(r), priced.get(c), i);
                if (!Double.isNaN(rho)) {
                    m[r][c] = Math.round(rho * scale) / scale;
                    m[c][r] = m[r][c];
                    known[r][c] = true;
                }
            }
        }
        double shrink = 1.0;
        while (shrink > 0 && minEigenvalue(m, shrink) < -Correlations.PSD_TOLERANCE) {
            shrink = Math.max(0.0, shrink - 0.01);
        }
        Map<String, Double> pairs = new TreeMap<>();
        for (int r = 0; r < n; r++) {
            for (int c = r + 1; c < n; c++) {
                if (known[r][c]) {
                    pairs.put(priced.get(r) + "/" + priced.get(c), Math.round(m[r][c] * shrink * 1e6) / 1e6);
                }
            }
        }
        return pairs;
    }

    private static double minEigenvalue(double[][] m, double shrink) {
        int n = m.length;
        if (n < 2) {
            return 1.0;
        }
        double[][] s = new double[n][n];
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < n; c++) {
                s[r][c] = r == c ? 1.0 : m[r][c] * shrink;
            }
        }
        double[] ev = new EigenDecomposition(new Array2DRowRealMatrix(s, false)).getRealEigenvalues();
        return Arrays.stream(ev).min().orElse(1.0);
    }

    private static double clamp(double v) {
        return Math.max(MIN_VOL, Math.min(MAX_VOL, v));
    }

    private static double[] realisedSeries(DailyHistory h, String asset) {
        double[] out = new double[h.size()];
        for (int i = 0; i < h.size(); i++) {
            double ss = 0;
            int n = 0;
            for (int k = Math.max(1, i - REALISED_WINDOW + 1); k <= i; k++) {
                double r = h.logReturn(asset, k);
                if (!Double.isNaN(r)) {
                    ss += r * r;
                    n++;
                }
            }
            out[i] = n < MIN_REALISED_RETURNS ? Double.NaN : Math.sqrt(ss / n * DAYS_PER_YEAR);
        }
        return out;
    }

    /** Median of DVOL/realised of BTC over days j &lt; i with both, floored; the floor when there are none. */
    private static double[] premiumSeries(DailyHistory h, double[] btcRealised) {
        double[] out = new double[h.size()];
        double[] sorted = new double[h.size()];
        int n = 0;
        for (int i = 0; i < h.size(); i++) {
            out[i] = n == 0 ? PREMIUM_FLOOR : Math.max(PREMIUM_FLOOR, median(sorted, n));
            double iv = h.impliedVol("BTC", i);
            double rv = btcRealised[i];
            if (!Double.isNaN(iv) && !Double.isNaN(rv) && rv > 0 && iv > 0) {
                double ratio = iv / rv;
                int pos = Arrays.binarySearch(sorted, 0, n, ratio);
                if (pos < 0) {
                    pos = -pos - 1;
                }
                System.arraycopy(sorted, pos, sorted, pos + 1, n - pos);
                sorted[pos] = ratio;
                n++;
            }
        }
        return out;
    }

    private static double median(double[] sorted, int n) {
        return n % 2 == 1 ? sorted[n / 2] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2]);
    }
}
