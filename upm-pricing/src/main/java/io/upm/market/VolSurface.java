package io.upm.market;

import io.upm.input.InputException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * The implied-volatility surface of one underlying, immutable: either one flat vol, or slices of
 * (strike, vol) per expiry. Interpolation follows MODEL.md section 1: linear in strike between quoted
 * strikes and flat beyond them; between expiries linear in total variance sigma^2 T at the same strike;
 * flat (in vol) before the first and after the last expiry.
 *
 * <p>Thread-safe; {@link #vol} allocates nothing.
 */
public final class VolSurface {
    private final double flatVol;
    private final long[] expiryEpochSeconds;
    private final double[][] strikes;
    private final double[][] vols;

    private VolSurface(double flatVol, long[] expiryEpochSeconds, double[][] strikes, double[][] vols) {
        this.flatVol = flatVol;
        this.expiryEpochSeconds = expiryEpochSeconds;
        this.strikes = strikes;
        this.vols = vols;
    }

    /** A flat surface. */
    public static VolSurface flat(double vol, String field) {
        checkVol(vol, field);
        return new VolSurface(vol, new long[0], new double[0][], new double[0][]);
    }

    /**
     * A surface from slices: expiry instant to (strike to vol). Each slice needs at least one strike.
     *
     * @param slices expiry to strike to vol
     * @param field  the field path of the surface, for errors
     */
    public static VolSurface ofSlices(Map<Instant, ? extends Map<Double, Double>> slices, String field) {
        if (slices.isEmpty()) {
            throw new InputException(field, "no expiries and no flat vol");
        }
        TreeMap<Instant, Map<Double, Double>> sorted = new TreeMap<>(slices);
        int n = sorted.size();
        long[] expiries = new long[n];
        double[][] ks = new double[n][];
        double[][] vs = new double[n][];
        int i = 0;
        for (Map.Entry<Instant, Map<Double, Double>> e : sorted.entrySet()) {
            TreeMap<Double, Double> slice = new TreeMap<>(e.getValue());
            if (slice.isEmpty()) {
                throw new InputException(field, "expiry " + e.getKey() + " has no strikes");
            }
            expiries[i] = e.getKey().getEpochSecond();
            ks[i] = new double[slice.size()];
            vs[i] = new double[slice.size()];
            int j = 0;
            for (Map.Entry<Double, Double> kv : slice.entrySet()) {
                ks[i][j] = kv.getKey();
                vs[i][j] = kv.getValue();
                j++;
            }
            i++;
        }
        return new VolSurface(Double.NaN, expiries, ks, vs);
    }

    /** True for a flat surface. */
    public boolean isFlat() {
        return expiryEpochSeconds.length == 0;
    }

    /**
     * The implied vol at a strike and expiry.
     *
     * @param strike         strike in USD
     * @param expiry         epoch seconds of the expiry
     * @param valuationTime  epoch seconds of the snapshot time
     * @return the annualised vol as a fraction
     */
    public double vol(double strike, long expiry, long valuationTime) {
        if (isFlat()) {
            return flatVol;
        }
        int n = expiryEpochSeconds.length;
        if (expiry <= expiryEpochSeconds[0]) {
            return volInSlice(0, strike);
        }
        if (expiry >= expiryEpochSeconds[n - 1]) {
            return volInSlice(n - 1, strike);
        }
        int hi = Arrays.binarySearch(expiryEpochSeconds, expiry);
        if (hi >= 0) {
            return volInSlice(hi, strike);
        }
        hi = -hi - 1;
        int lo = hi - 1;
        double t = expiry - valuationTime;
        double t1 = expiryEpochSeconds[lo] - valuationTime;
        double t2 = expiryEpochSeconds[hi] - valuationTime;
        double v1 = volInSlice(lo, strike);
        double v2 = volInSlice(hi, strike);
        double w1 = v1 * v1 * t1;
        double w2 = v2 * v2 * t2;
        double w = w1 + (w2 - w1) * (t - t1) / (t2 - t1);
        return Math.sqrt(w / t);
    }

    private double volInSlice(int slice, double strike) {
        double[] k = strikes[slice];
        double[] v = vols[slice];
        int m = k.length;
        if (strike <= k[0]) {
            return v[0];
        }
        if (strike >= k[m - 1]) {
            return v[m - 1];
        }
        int hi = Arrays.binarySearch(k, strike);
        if (hi >= 0) {
            return v[hi];
        }
        hi = -hi - 1;
        int lo = hi - 1;
        return v[lo] + (v[hi] - v[lo]) * (strike - k[lo]) / (k[hi] - k[lo]);
    }

    /** The expiries of the slices, epoch seconds, ascending (empty when flat). */
    public long[] expiries() {
        return expiryEpochSeconds.clone();
    }

    static void checkVol(double vol, String field) {
        if (!Double.isFinite(vol) || vol <= 0 || vol > 20) {
            throw new InputException(field, "vol must be a finite fraction in (0, 20], got " + vol);
        }
    }
}
