package io.upm.backtest.vol;

import java.util.Arrays;

/**
 * The RiskMetrics exponentially weighted moving-average (EWMA) variance of daily log returns:
 * {@code v[i+1] = lambda v[i] + (1 - lambda) r[i]^2}, zero mean, with {@code lambda = 0.94} by default
 * (RiskMetrics Technical Document, 1996, for daily data).
 *
 * <p>Seeding: the recursion starts after the first {@code seedDays} valid (non-{@code NaN}) returns, from their
 * sample variance about a zero mean ({@code sum r^2 / seedDays}, the same zero-mean convention as the
 * recursion). Forecasts of those seed returns themselves are {@code NaN}: they would need the data they
 * describe. A {@code NaN} return inside the series (a missing day) leaves the forecast unchanged.
 *
 * <p>Units: returns are fractions per day, variances fractions squared per day; {@link #annualised} converts a
 * daily variance to an annual vol with 365 days. Immutable and thread-safe; {@link #variances} allocates its
 * result, {@link #next} allocates nothing (for per-day incremental use).
 *
 * @see io.upm.backtest.vol the series convention ({@code v[i]} forecasts {@code r[i]} from earlier returns)
 */
public final class EwmaVolatility {
    /** RiskMetrics' decay factor for daily returns. */
    public static final double DEFAULT_LAMBDA = 0.94;
    /** Default number of returns whose sample variance seeds the recursion. */
    public static final int DEFAULT_SEED_DAYS = 30;

    private final double lambda;
    private final int seedDays;

    /**
     * @param lambda   the decay factor, in (0, 1)
     * @param seedDays the number of valid returns in the seed window, at least 1
     */
    public EwmaVolatility(double lambda, int seedDays) {
        if (!(lambda > 0 && lambda < 1)) {
            throw new IllegalArgumentException("lambda must be in (0, 1), got " + lambda);
        }
        if (seedDays < 1) {
            throw new IllegalArgumentException("seedDays must be at least 1, got " + seedDays);
        }
        this.lambda = lambda;
        this.seedDays = seedDays;
    }

    /** RiskMetrics: lambda 0.94, seeded with 30 returns. */
    public static EwmaVolatility riskMetrics() {
        return new EwmaVolatility(DEFAULT_LAMBDA, DEFAULT_SEED_DAYS);
    }

    /** The decay factor. */
    public double lambda() {
        return lambda;
    }

    /** The number of valid returns in the seed window. */
    public int seedDays() {
        return seedDays;
    }

    /**
     * The variance forecasts of a return series.
     *
     * @param returns daily log returns, {@code NaN} where there is no data
     * @return {@code n + 1} daily variances: element {@code i} forecasts {@code returns[i]} from
     *         {@code returns[0..i-1]}; element {@code n} forecasts the next day; {@code NaN} until seeded
     */
    public double[] variances(double[] returns) {
        int n = returns.length;
        double[] v = new double[n + 1];
        Arrays.fill(v, Double.NaN);
        int seen = 0;
        double sum = 0.0;
        int i = 0;
        for (; i < n && seen < seedDays; i++) {
            double r = returns[i];
            if (!Double.isNaN(r)) {
                sum += r * r;
                seen++;
            }
        }
        if (seen < seedDays) {
            return v;
        }
        v[i] = sum / seedDays;
        for (; i < n; i++) {
            double r = returns[i];
            v[i + 1] = Double.isNaN(r) ? v[i] : lambda * v[i] + (1.0 - lambda) * r * r;
        }
        return v;
    }

    /**
     * One step of the recursion: tomorrow's variance forecast from today's forecast and today's return
     * (unchanged when the return is {@code NaN}).
     */
    public double next(double variance, double ret) {
        return Double.isNaN(ret) ? variance : lambda * variance + (1.0 - lambda) * ret * ret;
    }

    /**
     * The standardised residuals {@code r[i] / sqrt(v[i])}: the devolatilised returns of filtered historical
     * simulation; {@code NaN} where the return or its forecast is missing or the forecast is not positive.
     *
     * @param returns   the returns
     * @param variances their forecasts from {@link #variances} (length at least {@code returns.length})
     */
    public static double[] residuals(double[] returns, double[] variances) {
        double[] z = new double[returns.length];
        for (int i = 0; i < returns.length; i++) {
            double v = variances[i];
            z[i] = v > 0 ? returns[i] / Math.sqrt(v) : Double.NaN;
        }
        return z;
    }

    /** An annualised vol (fraction per year) from a daily variance, with 365 days a year. */
    public static double annualised(double dailyVariance) {
        return Math.sqrt(365.0 * dailyVariance);
    }
}
