package io.upm.margin.haircut;

import java.time.Instant;

/**
 * The EWMA (RiskMetrics) volatility of an asset's daily index returns, annualised, estimated from a
 * time-stamped price path: the sigma of the dynamic haircut (MODEL.md section 10), for an engine to feed from the
 * index prices it sees, one {@link #add} per index price, in time order.
 *
 * <p>Sampling: one price per UTC day, the <b>last</b> price seen in that day (the day's close; a daily candle's
 * close in a replay of daily data). Daily returns are the log returns between consecutive sampled days; a return
 * spanning g days without any price (a gap) counts as g days of variance, r^2 / g. The current, unfinished day
 * counts with its latest price: {@link #dailyVariance()} is always the forecast after the newest price, and a
 * later price of the same day replaces that day's sample.
 *
 * <p>Recursion: {@code v = lambda v + (1 - lambda) r^2} (zero mean, lambda 0.94 for daily data), seeded with the
 * zero-mean sample variance {@code sum r^2 / n} of the first {@code seedReturns} returns. Before that many returns
 * exist there is no estimate ({@code NaN}): the caller then uses the snapshot's vol (MODEL.md section 10, "or the
 * snapshot's flat vol when the engine has no history"). Annualised with 365 days: {@code sigma = sqrt(365 v)}.
 *
 * <p>Deterministic (the same prices and times give the same bits), allocation-free after construction,
 * single-threaded (one instance per asset, owned by one writer).
 */
public final class DailyEwmaVolatility {
    /** RiskMetrics' decay factor for daily returns. */
    public static final double DEFAULT_LAMBDA = 0.94;
    /** Default number of returns whose sample variance seeds the recursion. */
    public static final int DEFAULT_SEED_RETURNS = 30;
    private static final long SECONDS_PER_DAY = 86_400L;

    private final double lambda;
    private final int seedReturns;

    private boolean started;
    private long currentDay;
    private double currentPrice;
    private boolean hasPreviousClose;
    private long previousDay;
    private double previousClose;
    private int committedReturns;
    private double seedSum;
    private double committedVariance = Double.NaN;

    /**
     * An estimator.
     *
     * @param lambda      the decay factor, in (0, 1)
     * @param seedReturns the number of returns whose sample variance seeds the recursion, at least 1
     * @throws IllegalArgumentException if either is out of range
     */
    public DailyEwmaVolatility(double lambda, int seedReturns) {
        if (!(lambda > 0 && lambda < 1)) {
            throw new IllegalArgumentException("lambda must be in (0, 1), got " + lambda);
        }
        if (seedReturns < 1) {
            throw new IllegalArgumentException("seedReturns must be at least 1, got " + seedReturns);
        }
        this.lambda = lambda;
        this.seedReturns = seedReturns;
    }

    /** RiskMetrics: lambda 0.94, seeded with 30 daily returns. */
    public static DailyEwmaVolatility riskMetrics() {
        return new DailyEwmaVolatility(DEFAULT_LAMBDA, DEFAULT_SEED_RETURNS);
    }

    /** As {@link #add(long, double)} at an instant. */
    public void add(Instant time, double price) {
        add(time.getEpochSecond(), price);
    }

    /**
     * Takes one price.
     *
     * @param epochSecond its time, seconds since the epoch (UTC); never before the previous price's
     * @param price       the index price, USD, finite and positive
     * @throws IllegalArgumentException naming {@code price} or {@code time} when one is invalid; the estimator is
     *                                  then unchanged
     */
    public void add(long epochSecond, double price) {
        if (!(price > 0) || !Double.isFinite(price)) {
            throw new IllegalArgumentException("price: must be a finite positive number, got " + price);
        }
        long day = Math.floorDiv(epochSecond, SECONDS_PER_DAY);
        if (!started) {
            started = true;
            currentDay = day;
            currentPrice = price;
            return;
        }
        if (day < currentDay) {
            throw new IllegalArgumentException("time: " + Instant.ofEpochSecond(epochSecond)
                + " is on a day before the last price's (" + Instant.ofEpochSecond(currentDay * SECONDS_PER_DAY) + ")");
        }
        if (day > currentDay) {
            if (hasPreviousClose) {
                commit(squaredDailyReturn());
            }
            hasPreviousClose = true;
            previousDay = currentDay;
            previousClose = currentPrice;
            currentDay = day;
        }
        currentPrice = price;
    }

    private double squaredDailyReturn() {
        double r = Math.log(currentPrice / previousClose);
        return r * r / (currentDay - previousDay);
    }

    private void commit(double r2) {
        if (committedReturns < seedReturns) {
            seedSum += r2;
            committedReturns++;
            if (committedReturns == seedReturns) {
                committedVariance = seedSum / seedReturns;
            }
            return;
        }
        committedReturns++;
        committedVariance = lambda * committedVariance + (1.0 - lambda) * r2;
    }

    /** The daily variance forecast after the newest price (fraction squared per day), NaN before the seed. */
    public double dailyVariance() {
        if (!hasPreviousClose) {
            return Double.NaN;
        }
        double r2 = squaredDailyReturn();
        if (committedReturns >= seedReturns) {
            return lambda * committedVariance + (1.0 - lambda) * r2;
        }
        return committedReturns + 1 == seedReturns ? (seedSum + r2) / seedReturns : Double.NaN;
    }

    /** sigma: the annualised volatility sqrt(365 x daily variance), a fraction; NaN before the seed. */
    public double annualisedVolatility() {
        return Math.sqrt(365.0 * dailyVariance());
    }

    /** The number of daily returns seen, the current day's included (0 before a second day). */
    public int returnCount() {
        return hasPreviousClose ? committedReturns + 1 : 0;
    }

    /** The decay factor. */
    public double lambda() {
        return lambda;
    }

    /** The number of returns that seed the recursion. */
    public int seedReturns() {
        return seedReturns;
    }

    /**
     * sigma as of the last completed day: sqrt(365 x the variance after the newest committed daily return), NaN
     * before the seed. It changes only when a new UTC day starts, which is when a live engine moves a haircut.
     */
    public double completedDaysVolatility() {
        return Math.sqrt(365.0 * committedVariance);
    }

    /** Writes the state (a live engine's snapshots); {@link #readState} on an estimator with the same settings. */
    public void writeState(java.io.DataOutput out) throws java.io.IOException {
        out.writeBoolean(started);
        out.writeLong(currentDay);
        out.writeDouble(currentPrice);
        out.writeBoolean(hasPreviousClose);
        out.writeLong(previousDay);
        out.writeDouble(previousClose);
        out.writeInt(committedReturns);
        out.writeDouble(seedSum);
        out.writeDouble(committedVariance);
    }

    /** Reads a state written by {@link #writeState}. */
    public void readState(java.io.DataInput in) throws java.io.IOException {
        started = in.readBoolean();
        currentDay = in.readLong();
        currentPrice = in.readDouble();
        hasPreviousClose = in.readBoolean();
        previousDay = in.readLong();
        previousClose = in.readDouble();
        committedReturns = in.readInt();
        seedSum = in.readDouble();
        committedVariance = in.readDouble();
    }
}
